/** Rows of `inventory_items` and `stock_movements`. Stock arithmetic happens here, in SQL, one statement at a time. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { InventoryItem, MovementReason } from '../db/schema.ts';

/** The active item that holds the stock of a product (tracked by product) or of one variant. */
export async function findActiveItem(
  db: Db,
  storeHash: string,
  productId: number,
  variantId: number | null,
): Promise<InventoryItem | undefined> {
  // A product tracked at product level has one item (variant_id null) serving every variant; a product
  // tracked by variant has one per variant. An assignment is one or the other, so at most one row matches.
  return db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('product_id', '=', productId)
    .where('retired_at', 'is', null)
    .where((eb) => eb.or([eb('variant_id', 'is', null), eb('variant_id', '=', variantId ?? -1)]))
    .executeTakeFirst();
}

export async function findItem(db: Db, storeHash: string, itemId: number): Promise<InventoryItem | undefined> {
  return db.selectFrom('inventory_items').selectAll().where('store_hash', '=', storeHash).where('id', '=', itemId).executeTakeFirst();
}

/**
 * Takes the item's row lock for the rest of the transaction; undefined when it is retired or absent.
 * FOR NO KEY UPDATE, like the UPDATE that follows: it does not conflict with the key-share locks that
 * inserts referencing the item take, so writers of order and backorder lines cannot deadlock with it.
 */
export async function lockItem(trx: Db, storeHash: string, itemId: number): Promise<InventoryItem | undefined> {
  return trx
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('id', '=', itemId)
    .where('retired_at', 'is', null)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

export interface StockUpdate {
  before: number;
  after: number;
  /** null: unlimited. */
  threshold: number | null;
}

/** current_stock += delta, in one statement; returns the stock before and after. */
export async function addToStock(trx: Db, storeHash: string, itemId: number, delta: number): Promise<StockUpdate> {
  const row = await trx
    .updateTable('inventory_items')
    .set({ current_stock: sql`current_stock + ${delta}`, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('id', '=', itemId)
    .returning(['current_stock', 'backorder_threshold'])
    .executeTakeFirstOrThrow();
  return { before: row.current_stock - delta, after: row.current_stock, threshold: row.backorder_threshold };
}

export async function movementExists(trx: Db, storeHash: string, idempotencyKey: string): Promise<boolean> {
  const row = await trx
    .selectFrom('stock_movements')
    .select('id')
    .where('store_hash', '=', storeHash)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewMovement {
  storeHash: string;
  itemId: number;
  delta: number;
  stockAfter: number;
  reason: MovementReason;
  idempotencyKey: string;
  orderId?: number | null;
  note?: string | null;
}

export async function insertMovement(trx: Db, movement: NewMovement): Promise<void> {
  await trx
    .insertInto('stock_movements')
    .values({
      store_hash: movement.storeHash,
      item_id: movement.itemId,
      delta: movement.delta,
      stock_after: movement.stockAfter,
      reason: movement.reason,
      idempotency_key: movement.idempotencyKey,
      order_id: movement.orderId ?? null,
      note: movement.note ?? null,
    })
    .execute();
}

/** The item's movements, newest first (the ledger shown in the edit dialog). */
export async function listMovements(db: Db, storeHash: string, itemId: number, limit = 100) {
  return db
    .selectFrom('stock_movements')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('item_id', '=', itemId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Records the level BigCommerce reported (under the caller's row lock). */
export async function setBigCommerceLevel(trx: Db, storeHash: string, itemId: number, level: number): Promise<void> {
  await trx
    .updateTable('inventory_items')
    .set({ bigcommerce_level: level, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('id', '=', itemId)
    .execute();
}

/** Clears the incoming stock once it has arrived (under the caller's row lock). */
export async function clearIncoming(trx: Db, storeHash: string, itemId: number): Promise<void> {
  await trx
    .updateTable('inventory_items')
    .set({ incoming_stock: 0, back_in_stock_date: null, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('id', '=', itemId)
    .execute();
}

export interface ItemPlan {
  /** null: unlimited. */
  backorderThreshold?: number | null;
  incomingStock?: number;
  /** YYYY-MM-DD or null. */
  backInStockDate?: string | null;
}

export async function updatePlan(trx: Db, storeHash: string, itemId: number, plan: ItemPlan): Promise<void> {
  await trx
    .updateTable('inventory_items')
    .set({
      ...(plan.backorderThreshold !== undefined ? { backorder_threshold: plan.backorderThreshold } : {}),
      ...(plan.incomingStock !== undefined ? { incoming_stock: plan.incomingStock } : {}),
      ...(plan.backInStockDate !== undefined ? { back_in_stock_date: plan.backInStockDate } : {}),
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .where('id', '=', itemId)
    .execute();
}
