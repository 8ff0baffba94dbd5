/**
 * What follows any change to stock, threshold, incoming stock or assignment, wherever it happened (an order,
 * a level read, an admin edit, an import, a restock): selling is re-checked for the items (stop at 0
 * salable, resume above it) and the storefront's cached answers for the store are dropped.
 */
import type { Queue } from 'bullmq';
import type { Redis } from '../redis.ts';
import { queueSellingChecks } from '../selling/selling.jobs.ts';
import { invalidateStorefront } from '../storefront-api/invalidation.ts';

export interface StockEffects {
  /**
   * Call after the transaction that changed the store's items committed; `itemIds` are those whose selling
   * may have to stop or resume (every item changed, or only those whose salable quantity crossed 0).
   */
  changed(storeHash: string, itemIds: Iterable<number>): Promise<void>;
}

export function stockEffects(deps: { sellingQueue: Queue; redis: Redis; prefix: string }): StockEffects {
  return {
    async changed(storeHash, itemIds) {
      await queueSellingChecks(deps.sellingQueue, storeHash, itemIds);
      await invalidateStorefront(deps.redis, deps.prefix, storeHash);
    },
  };
}
