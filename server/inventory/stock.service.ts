/**
 * Every change to an item's stock goes through here: the item's row is locked, a repeated change (same
 * idempotency key) is a no-op, current_stock moves in one SQL statement, the ledger gets its row, and
 * the backorder lines are rebalanced so their waiting units plus the item's unexplained shortfall equal
 * max(0, -current_stock).
 */
import type { Db } from '../db/database.ts';
import type { MovementReason } from '../db/schema.ts';
import { rebalance } from '../backorders/backorders.service.ts';
import { addToStock, insertMovement, lockItem, movementExists } from './inventory.repo.ts';

export interface StockChange {
  storeHash: string;
  itemId: number;
  delta: number;
  reason: MovementReason;
  /** Makes a retried change a no-op, e.g. `order:1001:55:v2` or `restock:17:2026-12-24`. */
  idempotencyKey: string;
  orderId?: number | null;
  note?: string | null;
}

export interface StockChangeResult {
  /** false when the key was already applied (or the delta is 0). */
  applied: boolean;
  before: number;
  after: number;
  /** null: unlimited. */
  threshold: number | null;
  /** The item's incoming stock: its waiting lines' ETAs depend on it. */
  incomingStock: number;
}

/** salable_qty = current_stock + backorder_threshold; null threshold means unlimited. */
export function salableQty(stock: number, threshold: number | null): number {
  return threshold === null ? Number.POSITIVE_INFINITY : stock + threshold;
}

/**
 * Applies a stock change inside the caller's transaction. Returns undefined when the item is retired
 * (unassigned): its stock no longer moves. The caller rebalances (see `changeStockAndRebalance`) once
 * it has recorded what the change means for its own lines.
 */
export async function changeStock(trx: Db, change: StockChange): Promise<StockChangeResult | undefined> {
  const item = await lockItem(trx, change.storeHash, change.itemId);
  if (!item) return undefined;
  const unchanged = {
    applied: false,
    before: item.current_stock,
    after: item.current_stock,
    threshold: item.backorder_threshold,
    incomingStock: item.incoming_stock,
  };
  if (change.delta === 0 || (await movementExists(trx, change.storeHash, change.idempotencyKey))) return unchanged;

  const update = await addToStock(trx, change.storeHash, change.itemId, change.delta);
  await insertMovement(trx, { ...change, stockAfter: update.after });
  return { applied: true, ...update, incomingStock: item.incoming_stock };
}

/** A stock change that concerns no order line (sync, manual edit, import, restock): change, then rebalance. */
export async function changeStockAndRebalance(db: Db, change: StockChange): Promise<StockChangeResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const result = await changeStock(trx, change);
    if (result?.applied) await rebalance(trx, change.storeHash, change.itemId, result.after, result.incomingStock > 0);
    return result;
  });
}
