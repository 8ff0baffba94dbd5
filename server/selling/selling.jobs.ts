/** Asking for a selling check. At most one check per item runs at a time, and one more waits behind it. */
import type { Queue } from 'bullmq';
import { OUTAGE_RETRIES } from '../outage-retries.ts';

export interface SellingJob {
  storeHash: string;
  itemId: number;
}

/**
 * A check waits out a BigCommerce outage (OUTAGE_RETRIES, with the selling worker's backoff): given up after
 * the 2 minutes of the queues' default tries, it left the item selling beyond its limit, or stopped when it
 * should sell, until the nightly reconcile, since the selling sweep only looks at recent changes.
 */
export const SELLING_RETRIES = OUTAGE_RETRIES;

/** Checks asked for in one round trip to Redis, at most. */
const BULK = 500;

/**
 * Asks for a check of each item, a bulk of them a round trip: an import or a bulk edit that takes thousands of
 * items to 0 salable asks in a few round trips, not one an item, before its job can end.
 */
export async function queueSellingChecks(queue: Queue, storeHash: string, itemIds: Iterable<number>): Promise<void> {
  const jobs = [...new Set(itemIds)].map((itemId) => ({
    name: 'check',
    data: { storeHash, itemId } satisfies SellingJob,
    // A check waiting for its next try (minutes, while BigCommerce was away) gives way to a new ask, which runs
    // now: once BigCommerce is back, the next change stops selling at once rather than after that wait.
    opts: { deduplication: { id: `selling-${storeHash}-${itemId}`, keepLastIfActive: true, replace: true }, ...SELLING_RETRIES },
  }));
  for (let i = 0; i < jobs.length; i += BULK) await queue.addBulk(jobs.slice(i, i + BULK));
}
