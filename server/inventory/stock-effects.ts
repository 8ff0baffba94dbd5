/**
 * What follows any change to stock, threshold, incoming stock or assignment, wherever it happened (an order,
 * a level read, an admin edit, an import, a restock): selling is re-checked for the items (stop at 0
 * salable, resume above it) and the storefront's cached answers for the store are dropped. For stock and
 * plan changes the stock service (`changeStock`, `followChange`) decides which items and whether; this
 * carries it out.
 *
 * Both run after the change committed, so a Redis that is away must not turn a saved change into an error:
 * a check that could not be queued is logged, and the housekeeping's selling sweep (every two minutes)
 * finds the recently changed items whose selling is out of step and checks them; cached answers expire.
 */
import type { Logger } from '../logger.ts';

export interface StockEffects {
  /**
   * Call after the transaction that changed the store's items committed; `itemIds` are those whose selling
   * may have to stop or resume. Drops the storefront's cached answers. Never throws.
   */
  changed(storeHash: string, itemIds: Iterable<number>): Promise<void>;
  /** Selling checks alone, when nothing shoppers see changed (a repeated order event). Never throws. */
  check(storeHash: string, itemIds: Iterable<number>): Promise<void>;
  /** Strict limit mode: BigCommerce's level of these items is written (coalesced per store). Never throws. */
  writeLevels(storeHash: string, itemIds: Iterable<number>): Promise<void>;
}

/**
 * The follow-ups, given by the composition root (server/wiring.ts): selling and the storefront sit
 * above inventory, which must not import them.
 */
export interface StockFollowUps {
  /** Queues a selling check for each item. */
  checkSelling(storeHash: string, itemIds: number[]): Promise<void>;
  /** Makes every cached storefront answer of the store stale. */
  invalidateStorefront(storeHash: string): Promise<void>;
  /** Queues a level write for each strict item. */
  writeLevels(storeHash: string, itemIds: number[]): Promise<void>;
  logger?: Logger;
}

export function stockEffectsWith(deps: StockFollowUps): StockEffects {
  const check = async (storeHash: string, itemIds: Iterable<number>) => {
    const items = [...new Set(itemIds)];
    await deps
      .checkSelling(storeHash, items)
      .catch((error: unknown) =>
        deps.logger?.warn({ err: error, storeHash, items: items.length }, 'selling checks could not be queued; the selling sweep takes them up'),
      );
  };
  return {
    check,
    async writeLevels(storeHash, itemIds) {
      const items = [...new Set(itemIds)];
      await deps
        .writeLevels(storeHash, items)
        .catch((error: unknown) =>
          deps.logger?.warn({ err: error, storeHash, items: items.length }, 'level writes could not be queued; the level poll takes them up'),
        );
    },
    async changed(storeHash, itemIds) {
      await check(storeHash, itemIds);
      await deps
        .invalidateStorefront(storeHash)
        .catch((error: unknown) =>
          deps.logger?.warn({ err: error, storeHash }, 'the storefront cache could not be told of a change; its answers expire by themselves'),
        );
    },
  };
}
