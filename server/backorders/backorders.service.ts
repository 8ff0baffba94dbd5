/**
 * Keeps an item's backorder lines true to its stock: the units on waiting lines always equal
 * max(0, -current_stock). A rise allocates the oldest waiting units; a fall returns the newest
 * allocated, unshipped units to waiting. ETAs follow.
 */
import type { Db } from '../db/database.ts';
import { allocateOldest, refreshEtas, unallocateNewest, waitingUnits } from './backorders.repo.ts';

/**
 * Rebalances the item's lines for its stock `currentStock`; call inside the transaction holding its row
 * lock. `etas`: recompute the waiting lines' ETAs — needed when stock is incoming, or was until now
 * (without incoming stock every waiting line's ETA is unknown, and allocated lines carry none).
 */
export async function rebalance(trx: Db, storeHash: string, itemId: number, currentStock: number, etas: boolean): Promise<void> {
  const owed = Math.max(0, -currentStock);
  const waiting = await waitingUnits(trx, storeHash, itemId);
  if (waiting > owed) await allocateOldest(trx, storeHash, itemId, waiting - owed);
  else if (waiting < owed) await unallocateNewest(trx, storeHash, itemId, owed - waiting);
  if (etas) await refreshEtas(trx, storeHash, itemId);
}
