/**
 * Plans charged through BigCommerce Unified Billing (reference: unified-billing.md).
 * - A paid plan is bought through a checkout the merchant accepts in the control panel (a change of plan
 *   carries the subscription's id). The plan, and its limit, change only once BigCommerce reports the
 *   subscription active on the plan's level — never when the checkout is created.
 * - A checkout link lasts 24 hours; the next click after that creates a new one.
 * - A downgrade or a cancel waits for the end of the paid period: scheduled here, shown, and withdrawable
 *   until BigCommerce is told, which happens within NOTICE_MS of the period's end (a cancel is then sent,
 *   ending the subscription at the period's end; a lower paid plan gets its checkout for the merchant).
 * - BigCommerce sends no webhook for any of this: the Plan page polls (cached), a job keeps polling an
 *   open checkout after the merchant leaves, and the nightly sync reads each store's subscriptions and
 *   corrects the plan (cancelled in the control panel, payment failed, trial ended).
 * - The billing ledger records what BigCommerce reported, once per report.
 */
import type { UnifiedBilling } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { priceWords } from './billing.ts';
import { findOpenCheckout, openCheckout, replaceOpenCheckouts } from './plan-checkouts.repo.ts';
import { DEFAULT_PLAN_ID, priceOf, rankOf, type Plan, type PlanInterval } from './plans.config.ts';
import { countAssignedProducts, findBillingAccount, findStorePlan, lockStorePlan, saveStorePlan } from './plans.repo.ts';
import { knownPlan } from './plans.service.ts';

const HOUR_MS = 3600 * 1000;
/** BigCommerce's checkout links expire after 24 hours. */
export const CHECKOUT_LIFETIME_MS = 24 * HOUR_MS;
/** A scheduled change is sent to BigCommerce this long before the period ends (the sync runs nightly). */
export const NOTICE_MS = 48 * HOUR_MS;

export interface BillingDeps {
  db: Db;
  billing: UnifiedBilling;
  /** Keeps polling a checkout after the merchant leaves the page. */
  pollCheckout?: (storeHash: string, checkoutId: string) => Promise<void>;
}

/** What a change of plan will do, for the page that asks the merchant to confirm it. */
export interface PlanChangePreview {
  kind: 'subscribe' | 'upgrade' | 'downgrade' | 'cancel' | 'current';
  from: Plan;
  to: Plan;
  interval: PlanInterval;
  priceCents: number;
  /** When it takes effect: once BigCommerce reports the accepted checkout, or at the end of the paid period. */
  effectiveAt: Date | 'on-acceptance';
  /** When the new limit is below the products assigned now. */
  overLimit: { assigned: number; limit: number } | null;
}

/** Describes the change to `planId` (at `interval`), refusing what cannot be bought. */
export async function previewChange(db: Db, storeHash: string, planId: string, interval: PlanInterval = 'MONTH'): Promise<PlanChangePreview> {
  const to = knownPlan(planId);
  const [row, assigned] = await Promise.all([findStorePlan(db, storeHash), countAssignedProducts(db, storeHash)]);
  const from = knownPlan(row?.plan_id ?? DEFAULT_PLAN_ID);
  const priceCents = to.productLevel ? priceOf(to, interval) : 0;
  if (priceCents === undefined) {
    throw new AppError('validation', `The ${to.name} plan is sold monthly only.`, { problems: [{ field: 'interval', message: 'not offered' }] });
  }
  const limit = to.assignedProductLimit;
  const overLimit = limit !== null && assigned > limit ? { assigned, limit } : null;
  const sameInterval = (row?.billing_interval ?? 'MONTH') === interval;
  let kind: PlanChangePreview['kind'];
  if (to.id === from.id && (!to.productLevel || sameInterval)) kind = 'current';
  else if (!row?.subscription_id) kind = to.productLevel ? 'subscribe' : 'cancel';
  else if (!to.productLevel) kind = 'cancel';
  else kind = rankOf(to) > rankOf(from) || to.id === from.id ? 'upgrade' : 'downgrade';
  const effectiveAt = kind === 'downgrade' || kind === 'cancel' ? (row?.cycle_ends_at ?? new Date()) : 'on-acceptance';
  return { kind, from, to, interval, priceCents, effectiveAt, overLimit };
}

/** BigCommerce's refusal as the merchant reads it; other errors are thrown as they are. */
export function refusalMessage(error: unknown): never {
  const refusal = (error as { refusal?: string }).refusal;
  if (!refusal) throw error;
  const why: Record<string, string> = {
    'trial-subscription': 'BigCommerce does not let a plan change during its free trial; change it once the trial has ended.',
    'no-active-subscription': 'BigCommerce has no active subscription to change; reload this page to see your plan as BigCommerce reports it.',
  };
  throw new AppError(
    'conflict',
    why[refusal] ?? `BigCommerce refused the checkout (${(error as Error & { title?: string }).title ?? (error as Error).message}). Nothing was changed.`,
  );
}

/** Schedules a downgrade or a cancel for the end of the paid period (after `previewChange` said so). */
export async function scheduleChange(db: Db, storeHash: string, planId: string): Promise<PlanChangePreview> {
  const preview = await previewChange(db, storeHash, planId);
  if (preview.kind !== 'downgrade' && preview.kind !== 'cancel') throw new AppError('conflict', `Moving to the ${preview.to.name} plan is not a downgrade.`);
  await db.transaction().execute(async (trx) => {
    const row = await lockStorePlan(trx, storeHash);
    if (row.cancelled_at) throw new AppError('conflict', 'BigCommerce already ends your subscription at the end of this period.');
    // No subscription (nothing is billed): there is no paid period to wait for.
    if (!row.subscription_id) await saveStorePlan(trx, storeHash, { planId, pendingPlanId: null });
    else await saveStorePlan(trx, storeHash, { pendingPlanId: planId });
  });
  return preview;
}

/** Withdraws a scheduled change, while BigCommerce has not been told of it. */
export async function withdrawChange(db: Db, storeHash: string): Promise<Plan> {
  return db.transaction().execute(async (trx) => {
    const row = await lockStorePlan(trx, storeHash);
    if (row.cancelled_at)
      throw new AppError('conflict', 'BigCommerce was already told to end your subscription at the end of this period; it can no longer be withdrawn here.');
    if (row.pending_plan_id) {
      await saveStorePlan(trx, storeHash, { pendingPlanId: null });
      // A downgrade checkout offered for it is withdrawn with it.
      const open = await findOpenCheckout(trx, storeHash);
      if (open?.plan_id === row.pending_plan_id) await replaceOpenCheckouts(trx, storeHash);
    }
    return knownPlan(row.plan_id);
  });
}

/**
 * Creates a checkout for `plan` (a change of `subscriptionId` when given) and records it as the store's open
 * checkout, replacing any other. BigCommerce sends the merchant back to the app's Plan page.
 */
export async function createPlanCheckout(
  deps: BillingDeps,
  storeHash: string,
  order: { plan: Plan; interval: PlanInterval; priceCents: number; subscriptionId: string | null },
  now: Date,
): Promise<{ id: string; checkoutUrl: string }> {
  const store = await findBillingAccount(deps.db, storeHash);
  if (!store?.account_uuid)
    throw new AppError('conflict', 'BigCommerce has not told the app this store’s account yet; open the app again from the control panel and retry.');
  const { plan, interval, priceCents, subscriptionId } = order;
  const checkout = await deps.billing
    .createCheckout({
      accountUuid: store.account_uuid,
      storeHash,
      productLevel: plan.productLevel!,
      interval,
      priceCents,
      description: `BackOrder ${plan.name} plan — up to ${plan.assignedProductLimit?.toLocaleString('en-US') ?? 'any number of'} assigned products, ${priceWords(priceCents, interval)}`,
      // The control panel opens the app with `/plan` as the load's deep link: the Plan page.
      redirectUrl: `${store.control_panel_url.replace(/\/+$/, '')}/manage/app/${deps.billing.appId}/plan`,
      ...(subscriptionId ? { subscriptionId } : {}),
    })
    .catch(refusalMessage);
  await deps.db.transaction().execute((trx) =>
    openCheckout(trx, {
      storeHash,
      checkoutId: checkout.id,
      planId: plan.id,
      interval,
      priceCents,
      subscriptionId,
      checkoutUrl: checkout.checkoutUrl,
      expiresAt: new Date(now.getTime() + CHECKOUT_LIFETIME_MS),
    }),
  );
  return checkout;
}
