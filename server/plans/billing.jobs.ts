/**
 * Jobs of Unified Billing, on the reconcile queue (one store's truth from BigCommerce):
 * - `billing-checkout`: keeps asking BigCommerce about a checkout after the merchant left the page, with
 *   exponential backoff, until it is applied, replaced, or its link has expired;
 * - `billing-sync`: reads the store's subscriptions and corrects its plan (the nightly sync queues one per store);
 * - `billing-end`: after an uninstall, ends the paid subscription with its period instead of renewing it
 *   (app-lifecycle's uninstall.service.ts), asking again with backoff while BigCommerce cannot be reached.
 */
import type { Queue } from 'bullmq';
import { findCheckout } from './plan-checkouts.repo.ts';
import type { BillingDeps } from './billing.service.ts';
import { checkoutProgress } from './checkouts.service.ts';
import { syncSubscription, type SyncOutcome } from './subscription-sync.service.ts';

export const CHECKOUT_POLL_JOB = 'billing-checkout';
export const BILLING_SYNC_JOB = 'billing-sync';
export const SUBSCRIPTION_END_JOB = 'billing-end';

export interface CheckoutPollJob {
  storeHash: string;
  checkoutId: string;
}

/** 5 s, 10 s, 20 s … : fourteen attempts span the checkout link's 24 hours. */
const POLL_ATTEMPTS = 14;
const POLL_FIRST_DELAY_MS = 5_000;

/** Queues the polling of a new checkout (one job per checkout). */
export async function queueCheckoutPoll(queue: Queue, storeHash: string, checkoutId: string): Promise<void> {
  const key = checkoutId.split('/').pop()!;
  await queue.add(CHECKOUT_POLL_JOB, { storeHash, checkoutId } satisfies CheckoutPollJob, {
    jobId: `${storeHash}-checkout-${key}`,
    delay: POLL_FIRST_DELAY_MS,
    attempts: POLL_ATTEMPTS,
    backoff: { type: 'exponential', delay: POLL_FIRST_DELAY_MS, jitter: 0.2 },
  });
}

/** Queues a read of the store's subscriptions (each ask is a read of its own: cheap, and never stale). */
export async function queueBillingSync(queue: Queue, storeHash: string): Promise<void> {
  await queue.add(BILLING_SYNC_JOB, { storeHash }, { jobId: `${storeHash}-billing-sync-${Date.now()}` });
}

/** 30 s, 1 min, 2 min … : ten attempts span about eight hours. */
const END_ATTEMPTS = 10;
const END_FIRST_DELAY_MS = 30_000;

/** Queues the end of an uninstalled store's subscription (one waiting at a time per store). */
export async function queueSubscriptionEnd(queue: Pick<Queue, 'add'>, storeHash: string): Promise<void> {
  await queue.add(
    SUBSCRIPTION_END_JOB,
    { storeHash },
    {
      deduplication: { id: `${storeHash}-billing-end` },
      attempts: END_ATTEMPTS,
      backoff: { type: 'exponential', delay: END_FIRST_DELAY_MS, jitter: 0.2 },
    },
  );
}

/** The poll's body: throws while BigCommerce has not completed the checkout, so the job is tried again later. */
export async function pollCheckout(deps: BillingDeps, job: CheckoutPollJob, now = new Date()): Promise<'applied' | 'replaced' | 'expired'> {
  const row = await findCheckout(deps.db, job.storeHash, job.checkoutId);
  if (!row || row.state === 'replaced') return 'replaced';
  if (row.state === 'applied') return 'applied';
  if (row.expires_at.getTime() <= now.getTime()) return 'expired';
  const progress = await checkoutProgress(deps, job.storeHash, { now });
  if (progress === 'applied') return 'applied';
  throw new Error('BigCommerce has not completed the checkout yet; asking again later');
}

/** The sync's body. */
export async function runBillingSync(deps: BillingDeps, storeHash: string): Promise<SyncOutcome> {
  return syncSubscription(deps, storeHash);
}
