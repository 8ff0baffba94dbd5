/**
 * The ways stock changes besides orders: a level read from BigCommerce, an edit in the admin or an
 * import, and incoming stock arriving on its back-in-stock date. Each is one transaction holding the
 * item's row lock, with a ledger row, followed by a rebalance of the item's backorder lines.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { refreshEtas } from '../backorders/backorders.repo.ts';
import { rebalance } from '../backorders/backorders.service.ts';
import { clearIncoming, lockItem, setBigCommerceLevel, updatePlan, type ItemPlan } from './inventory.repo.ts';
import { changeStock, type StockChangeResult } from './stock.service.ts';

/**
 * BigCommerce's level is a counter the merchant or an ERP moves while the app holds the product; a change
 * to it is applied to current stock as a movement, so units owed to waiting shoppers are never forgotten
 * (a level raised from 0 to 30 with 50 units owed leaves current stock at -20, not 30). Reading the same
 * level again changes nothing.
 */
export async function applyBigCommerceLevel(db: Db, storeHash: string, itemId: number, level: number): Promise<StockChangeResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, storeHash, itemId);
    if (!item || item.bigcommerce_level === level) return undefined;
    await setBigCommerceLevel(trx, storeHash, itemId, level);
    if (item.bigcommerce_level === null) return undefined;
    const result = await changeStock(trx, {
      storeHash,
      itemId,
      delta: level - item.bigcommerce_level,
      reason: 'sync',
      idempotencyKey: `sync:${itemId}:${randomUUID()}`,
      note: `BigCommerce level ${item.bigcommerce_level} → ${level}`,
    });
    if (result?.applied) await rebalance(trx, storeHash, itemId, result.after, result.incomingStock > 0);
    return result;
  });
}

/** Sets current stock to `value` (admin edit or import), recording the difference. */
export async function setCurrentStock(
  db: Db,
  change: { storeHash: string; itemId: number; value: number; reason: 'manual' | 'import'; idempotencyKey: string; note?: string },
): Promise<StockChangeResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, change.storeHash, change.itemId);
    if (!item) return undefined;
    const result = await changeStock(trx, { ...change, delta: change.value - item.current_stock });
    if (result?.applied) await rebalance(trx, change.storeHash, change.itemId, result.after, result.incomingStock > 0);
    return result;
  });
}

/**
 * The back-in-stock date has come: incoming stock joins current stock and is cleared in the same
 * transaction, serving the oldest waiting units first; a repeated run finds nothing incoming.
 */
export async function receiveIncomingStock(db: Db, storeHash: string, itemId: number): Promise<StockChangeResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, storeHash, itemId);
    if (!item || item.incoming_stock === 0) return undefined;
    const result = await changeStock(trx, {
      storeHash,
      itemId,
      delta: item.incoming_stock,
      reason: 'restock',
      idempotencyKey: `restock:${itemId}:${randomUUID()}`,
      note: item.back_in_stock_date ? `incoming stock due ${item.back_in_stock_date}` : 'incoming stock received',
    });
    await clearIncoming(trx, storeHash, itemId);
    // The incoming stock is gone: the ETAs it gave must go too.
    if (result?.applied) await rebalance(trx, storeHash, itemId, result.after, true);
    return result;
  });
}

/**
 * The back-in-stock date has passed in a store whose incoming stock arrives through BigCommerce (its level
 * already counted, or not yet come): the incoming stock and date are cleared, stock untouched, and the
 * waiting lines' ETAs become unknown rather than a date already gone. False when nothing was incoming.
 */
export async function expireIncomingStock(db: Db, storeHash: string, itemId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const item = await lockItem(trx, storeHash, itemId);
    if (!item || item.incoming_stock === 0) return false;
    await clearIncoming(trx, storeHash, itemId);
    await refreshEtas(trx, storeHash, itemId);
    return true;
  });
}

/** Changes the item's threshold, incoming stock or back-in-stock date; ETAs follow at once. */
export async function updateItemPlan(db: Db, storeHash: string, itemId: number, plan: ItemPlan): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockItem(trx, storeHash, itemId))) return false;
    await updatePlan(trx, storeHash, itemId, plan);
    await refreshEtas(trx, storeHash, itemId);
    return true;
  });
}
