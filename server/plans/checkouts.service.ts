/**
 * Buying a plan: the checkout the merchant is sent to (in the top window, inside the control panel), and
 * where it stands. The plan changes only once BigCommerce reports the subscription active (the sync).
 */
import { AppError } from '../errors.ts';
import { findOpenCheckout, noteCheckoutStatus } from './plan-checkouts.repo.ts';
import type { PlanInterval } from './plans.config.ts';
import { findStorePlan } from './plans.repo.ts';
import { createPlanCheckout, previewChange, type BillingDeps } from './billing.service.ts';
import { syncSubscription } from './subscription-sync.service.ts';

/**
 * The checkout URL for buying `planId`: the open checkout for the same plan and interval while its link is
 * good, else a new one (a change of an active subscription carries its id). The merchant is sent there.
 */
export async function checkoutUrlFor(deps: BillingDeps, storeHash: string, planId: string, interval: PlanInterval, now = new Date()): Promise<string> {
  const [preview, open, row] = await Promise.all([
    previewChange(deps.db, storeHash, planId, interval),
    findOpenCheckout(deps.db, storeHash),
    findStorePlan(deps.db, storeHash),
  ]);
  // A scheduled downgrade to a lower paid plan, once due, is a checkout too (the sync offered it).
  const dueDowngrade = preview.kind === 'downgrade' && row?.pending_plan_id === planId && open?.plan_id === planId;
  if (preview.kind !== 'subscribe' && preview.kind !== 'upgrade' && !dueDowngrade) {
    throw new AppError(
      'conflict',
      `The ${preview.to.name} plan needs no checkout: ${preview.kind === 'current' ? 'it is your plan' : 'it is scheduled for the end of your paid period'}.`,
    );
  }
  if (open && open.plan_id === planId && open.billing_interval === interval && open.expires_at.getTime() > now.getTime()) return open.checkout_url;
  const subscriptionId = preview.kind === 'subscribe' ? null : (row?.subscription_id ?? null);
  const checkout = await createPlanCheckout(deps, storeHash, { plan: preview.to, interval, priceCents: preview.priceCents, subscriptionId }, now);
  await deps.pollCheckout?.(storeHash, checkout.id);
  return checkout.checkoutUrl;
}

export type CheckoutProgress = 'none' | 'waiting' | 'applied';

/**
 * Where the store's open checkout stands. BigCommerce is asked at most once per `cacheMs` (the page polls);
 * once it reports the checkout complete, the subscriptions are read and the plan applied if active.
 */
export async function checkoutProgress(deps: BillingDeps, storeHash: string, options: { cacheMs?: number; now?: Date } = {}): Promise<CheckoutProgress> {
  const now = options.now ?? new Date();
  const open = await findOpenCheckout(deps.db, storeHash);
  if (!open) return 'none';
  if (open.checked_at && now.getTime() - open.checked_at.getTime() < (options.cacheMs ?? 0)) return 'waiting';
  const checkout = await deps.billing.checkout(open.checkout_id);
  await noteCheckoutStatus(deps.db, open.id, checkout?.status ?? 'UNKNOWN', checkout?.subscriptionId ?? null, now);
  if (checkout?.status !== 'COMPLETE') return 'waiting';
  await syncSubscription(deps, storeHash, now);
  return (await findOpenCheckout(deps.db, storeHash))?.id === open.id ? 'waiting' : 'applied';
}
