/** Asking for a selling check. At most one check per item runs at a time, and one more waits behind it. */
import type { Queue } from 'bullmq';

export interface SellingJob {
  storeHash: string;
  itemId: number;
}

export async function queueSellingChecks(queue: Queue, storeHash: string, itemIds: Iterable<number>): Promise<void> {
  for (const itemId of new Set(itemIds)) {
    const data: SellingJob = { storeHash, itemId };
    await queue.add('check', data, { deduplication: { id: `selling-${storeHash}-${itemId}`, keepLastIfActive: true } });
  }
}
