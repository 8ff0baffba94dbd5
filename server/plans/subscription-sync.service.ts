/**
 * The truth from BigCommerce: the store's subscriptions read and the app's plan made what they report
 * (cancelled in the control panel, payment failed, trial ended, a checkout accepted), each report recorded
 * once in the billing ledger; a scheduled change told to BigCommerce when its period is about to end; and a
 * subscription ended (after an uninstall).
 */
import { storeDate } from '../admin/view-helpers.ts';
import type { BillingSubscription } from '../bigcommerce/index.ts';
import type { StorePlan } from '../db/schema.ts';
import { priceWords } from './billing.ts';
import { createPlanCheckout, NOTICE_MS, refusalMessage, type BillingDeps } from './billing.service.ts';
import { findOpenCheckout, markCheckoutApplied } from './plan-checkouts.repo.ts';
import { DEFAULT_PLAN_ID, planByLevel, priceOf, type PlanInterval } from './plans.config.ts';
import { findStorePlan, findStoreTimezone, insertCharge, lockStorePlan, saveStorePlan } from './plans.repo.ts';
import { knownPlan } from './plans.service.ts';

/** The subscription that grants a plan: active, on one of the plans' levels, the newest. */
function grantingSubscription(subscriptions: BillingSubscription[]): BillingSubscription | undefined {
  return subscriptions.filter((s) => s.status === 'ACTIVE' && planByLevel(s.productLevel)).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
}

export interface SyncOutcome {
  from: string;
  to: string;
  /** A scheduled change BigCommerce was told of during this sync. */
  sent: 'cancel' | 'checkout' | null;
}

/**
 * Reads the store's subscriptions and makes the app's plan what BigCommerce reports; records each report in
 * the ledger; then tells BigCommerce of a scheduled change whose period ends within NOTICE_MS.
 */
export async function syncSubscription(deps: BillingDeps, storeHash: string, now = new Date()): Promise<SyncOutcome> {
  const subscriptions = await deps.billing.subscriptions(storeHash);
  const granting = grantingSubscription(subscriptions);
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const row = await lockStorePlan(trx, storeHash);
    // The ledger names days as the Plan page does, in the store's time zone (its key keeps the exact moment),
    // read once the plan is ours: a zone saved while this waited for the lock is the one the line names.
    const timezone = await findStoreTimezone(trx, storeHash);
    const from = row.plan_id;
    if (!granting) {
      if (row.subscription_id) {
        const ended = subscriptions.find((s) => s.id === row.subscription_id);
        await insertCharge(trx, {
          storeHash,
          kind: 'ended',
          planId: DEFAULT_PLAN_ID,
          fromPlanId: from,
          amountCents: 0,
          periodStart: now,
          periodEnd: now,
          description: `Subscription ${ended?.status.toLowerCase() ?? 'no longer reported'} on BigCommerce: back to the Free plan`,
          idempotencyKey: `${row.subscription_id}:ended`,
          subscriptionId: row.subscription_id,
          billingInterval: row.billing_interval,
          bigcommerceStatus: ended?.status ?? null,
        });
      }
      await saveStorePlan(trx, storeHash, {
        planId: DEFAULT_PLAN_ID,
        subscriptionId: null,
        billingInterval: null,
        priceCents: null,
        cycleStartedAt: null,
        cycleEndsAt: null,
        cancelledAt: null,
        pendingPlanId: null,
        syncedAt: now,
      });
      return { from, to: DEFAULT_PLAN_ID };
    }
    const plan = planByLevel(granting.productLevel)!;
    const periodEnd = granting.currentPeriodEnd ?? now;
    const kind =
      row.subscription_id !== granting.id ? 'subscription' : row.plan_id !== plan.id || row.billing_interval !== granting.interval ? 'change' : 'renewal';
    await insertCharge(trx, {
      storeHash,
      kind,
      planId: plan.id,
      fromPlanId: from,
      amountCents: granting.priceCents,
      periodStart: granting.activationDate ?? granting.createdAt,
      periodEnd,
      description: `${plan.name} plan, ${priceWords(granting.priceCents, granting.interval)}, active on BigCommerce until ${storeDate(periodEnd, timezone)}`,
      idempotencyKey: `${granting.id}:${granting.productLevel}:${granting.interval}:${granting.priceCents}:${periodEnd.toISOString()}`,
      subscriptionId: granting.id,
      billingInterval: granting.interval,
      bigcommerceStatus: granting.status,
    });
    const pendingDone = row.pending_plan_id === plan.id;
    await saveStorePlan(trx, storeHash, {
      planId: plan.id,
      subscriptionId: granting.id,
      billingInterval: granting.interval,
      priceCents: granting.priceCents,
      cycleStartedAt: granting.activationDate ?? granting.createdAt,
      cycleEndsAt: periodEnd,
      ...(pendingDone ? { pendingPlanId: null } : {}),
      ...(row.subscription_id !== granting.id ? { cancelledAt: null } : {}),
      syncedAt: now,
    });
    const open = await findOpenCheckout(trx, storeHash);
    if (open && open.plan_id === plan.id && open.billing_interval === granting.interval) await markCheckoutApplied(trx, open.id);
    return { from, to: plan.id };
  });
  return { ...outcome, sent: await sendDueChange(deps, storeHash, now) };
}

/** Tells BigCommerce of a scheduled change whose period ends within NOTICE_MS; null when none is due. */
async function sendDueChange(deps: BillingDeps, storeHash: string, now: Date): Promise<'cancel' | 'checkout' | null> {
  const row = await findStorePlan(deps.db, storeHash);
  if (!row?.pending_plan_id || !row.subscription_id || !row.cycle_ends_at || row.cancelled_at) return null;
  if (row.cycle_ends_at.getTime() - now.getTime() > NOTICE_MS) return null;
  const target = knownPlan(row.pending_plan_id);
  if (target.productLevel) {
    const open = await findOpenCheckout(deps.db, storeHash);
    if (open?.plan_id === target.id && open.expires_at.getTime() > now.getTime()) return null;
    // BigCommerce changes a plan only through a checkout the merchant accepts: the Plan page offers it.
    const interval: PlanInterval = row.billing_interval === 'ANNUAL' && target.annualPriceCents !== null ? 'ANNUAL' : 'MONTH';
    await createPlanCheckout(deps, storeHash, { plan: target, interval, priceCents: priceOf(target, interval)!, subscriptionId: row.subscription_id }, now);
    return 'checkout';
  }
  await endSubscriptionOf(deps, row, row.subscription_id, 'Cancelled on BigCommerce', now);
  return 'cancel';
}

/**
 * Tells BigCommerce to end the store's paid subscription at the end of the period already paid for, and
 * records it (`why` opens the ledger's line). False when there is no subscription, or its end is already told.
 */
export async function endSubscription(deps: BillingDeps, storeHash: string, why: string, now = new Date()): Promise<boolean> {
  const row = await findStorePlan(deps.db, storeHash);
  if (!row?.subscription_id || row.cancelled_at) return false;
  await endSubscriptionOf(deps, row, row.subscription_id, why, now);
  return true;
}

/** endSubscription with the plan row already read: its subscription, whose end BigCommerce has not been told. */
async function endSubscriptionOf(deps: BillingDeps, row: StorePlan, subscriptionId: string, why: string, now: Date): Promise<void> {
  const storeHash = row.store_hash;
  const { cancelledAt } = await deps.billing.cancelSubscription(subscriptionId).catch(refusalMessage);
  const endsAt = cancelledAt ?? row.cycle_ends_at ?? now;
  await deps.db.transaction().execute(async (trx) => {
    await saveStorePlan(trx, storeHash, { cancelledAt: endsAt });
    const timezone = await findStoreTimezone(trx, storeHash); // after the plan's lock, as in syncSubscription
    await insertCharge(trx, {
      storeHash,
      kind: 'cancellation',
      planId: DEFAULT_PLAN_ID,
      fromPlanId: row.plan_id,
      amountCents: 0,
      periodStart: now,
      periodEnd: endsAt,
      description: `${why}: the subscription ends on ${storeDate(endsAt, timezone)}`,
      idempotencyKey: `${subscriptionId}:cancelled`,
      subscriptionId,
      billingInterval: row.billing_interval,
      bigcommerceStatus: null,
    });
  });
}
