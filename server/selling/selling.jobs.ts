/** Asking for a selling check. At most one check per item runs at a time, and one more waits behind it. */
import type { Queue } from 'bullmq';

export interface SellingJob {
  storeHash: string;
  itemId: number;
}

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
    opts: { deduplication: { id: `selling-${storeHash}-${itemId}`, keepLastIfActive: true } },
  }));
  for (let i = 0; i < jobs.length; i += BULK) await queue.addBulk(jobs.slice(i, i + BULK));
}
