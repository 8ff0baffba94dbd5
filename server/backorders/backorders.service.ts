/**
 * Keeps an item's backorder lines true to its stock. The units its stock is below zero are owed: to the
 * shoppers on its waiting lines, or — where no order accounts for them (a level lowered in BigCommerce
 * below what orders took) — as its unexplained shortfall, so that always
 * `waiting units + unexplained shortfall = max(0, -current_stock)`.
 * A fall first returns the newest allocated, unshipped units to waiting, and the rest becomes shortfall; a
 * rise serves the oldest waiting units first, then reduces the shortfall. Called by the stock service
 * (`changeStock`), which decides when lines need it and refreshes ETAs after.
 */
import type { Db } from '../db/database.ts';
import { allocateOldest, balanceOf, settleShortfall, unallocateNewest } from './backorders.repo.ts';

export interface RebalanceOptions {
  /**
   * The stored shortfall is not to be trusted (reconcile's repair): the lines are balanced against the
   * stock alone, as if nothing were short, and the shortfall becomes what they leave unexplained.
   */
  recount?: boolean;
}

/**
 * Rebalances the item's lines and shortfall for its stock `currentStock`, inside the transaction holding
 * its row lock, after its stock and lines changed.
 */
export async function rebalance(trx: Db, storeHash: string, itemId: number, currentStock: number, options: RebalanceOptions = {}): Promise<void> {
  const owed = Math.max(0, -currentStock);
  const { waiting, shortfall } = await balanceOf(trx, storeHash, itemId);
  // Positive: stock rose (or lines gave units back) past what waiting and shortfall explain; negative: it fell.
  const excess = waiting + (options.recount ? 0 : shortfall) - owed;
  if (excess > 0) await allocateOldest(trx, storeHash, itemId, Math.min(excess, waiting));
  else if (excess < 0) await unallocateNewest(trx, storeHash, itemId, -excess);
  if (excess !== 0 || options.recount) await settleShortfall(trx, storeHash, itemId);
}
