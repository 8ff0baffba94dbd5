/**
 * Keeps an item's backorder lines true to its stock: the units on waiting lines always equal
 * max(0, -current_stock). A rise allocates the oldest waiting units; a fall returns the newest
 * allocated, unshipped units to waiting. ETAs follow.
 */
import type { Db } from '../db/database.ts';
import { allocateOldest, refreshEtas, unallocateNewest, waitingUnits } from './backorders.repo.ts';

/** Rebalances the item's lines for its stock `currentStock`; call inside the transaction holding its row lock. */
export async function rebalance(trx: Db, itemId: number, currentStock: number): Promise<void> {
  const owed = Math.max(0, -currentStock);
  const waiting = await waitingUnits(trx, itemId);
  if (waiting > owed) await allocateOldest(trx, itemId, waiting - owed);
  else if (waiting < owed) await unallocateNewest(trx, itemId, owed - waiting);
  await refreshEtas(trx, itemId);
}
