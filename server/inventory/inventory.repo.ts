/**
 * Rows of `inventory_items`: locked, their plans set, and the ledger an item's edit dialog shows. Each is
 * one statement per chunk of up to 10,000 items, so a bulk edit of 100,000 items costs a few dozen
 * statements. Stock itself moves in stock-moves.repo.ts.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { InventoryItem } from '../db/schema.ts';
import { anyOf, unnestRows } from '../db/unnest.ts';

/** Rows per statement. */
export const CHUNK = 10_000;

/** `rows` in slices of CHUNK. */
export function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export async function findItem(db: Db, storeHash: string, itemId: number): Promise<InventoryItem | undefined> {
  return db.selectFrom('inventory_items').selectAll().where('store_hash', '=', storeHash).where('id', '=', itemId).executeTakeFirst();
}

/** What a change reads of a locked item: its stock, its plan, the level BigCommerce last reported, and its strict mode state. */
const LOCKED_COLUMNS = [
  'current_stock',
  'backorder_threshold',
  'incoming_stock',
  'back_in_stock_date',
  'bigcommerce_level',
  'strict_since',
  'level_counted_from',
  'level_counted_until',
  'level_seq',
  'last_order_at',
] as const;

/** A locked item as a change reads it, and whether it carries an active purchasing hold (selling may have to resume). */
export type LockedItem = Pick<InventoryItem, (typeof LOCKED_COLUMNS)[number]> & { hold_open: boolean };

/**
 * The statement that locks the store's active items of `itemIds` (one chunk) in id order and reads them — with
 * whether each carries an active hold, so that what selling control must check after the change is known
 * without another read (stock.service's `followOf`). A query, so that a change locking rows of its own with
 * its items does it in the same statement (order-lines.repo's `lockItemsAndLines`). `lock` false: it only reads.
 */
export function lockingItems(storeHash: string, itemIds: readonly number[], lock = true) {
  return sql<LockedItem & { id: string }>`
    select i.id, ${sql.raw(LOCKED_COLUMNS.map((column) => `i.${column}`).join(', '))},
      exists (select 1 from purchasing_holds h where h.store_hash = i.store_hash and h.item_id = i.id and h.lifted_at is null) as hold_open
    from inventory_items i where i.store_hash = ${storeHash} and i.id = any(${itemIds}::bigint[]) and i.retired_at is null
    order by i.id ${lock ? sql`for no key update of i` : sql``}`;
}

/** The locked item a row carries among its columns. */
export function lockedItemOf(row: LockedItem): LockedItem {
  const item: Record<string, unknown> = { hold_open: row.hold_open };
  for (const column of LOCKED_COLUMNS) item[column] = row[column];
  return item as LockedItem;
}

/** Item ids in ascending order: the order in which every change locks its items. */
export function inLockOrder(itemIds: readonly number[]): number[] {
  return Array.from(Float64Array.from(itemIds).sort());
}

/**
 * Locks the store's active items of `itemIds` for the transaction, in id order (so two changes that share
 * items never deadlock); returns them by id. FOR NO KEY UPDATE, like the UPDATE that follows: it does not
 * conflict with the key-share locks that inserts referencing an item take, so writers of order and
 * backorder lines cannot deadlock with it. Retired (unassigned) items are left out: their stock no longer moves.
 */
export async function lockItems(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<Map<number, LockedItem>> {
  // In id order across chunks too: two bulk edits that share items lock them alike.
  return itemsById(trx, storeHash, inLockOrder(itemIds), true);
}

/** The items as `lockItems` reads them, without locking them: for a check that changes nothing. */
export function readItems(db: Db, storeHash: string, itemIds: readonly number[]): Promise<Map<number, LockedItem>> {
  return itemsById(db, storeHash, itemIds, false);
}

async function itemsById(db: Db, storeHash: string, itemIds: readonly number[], lock: boolean): Promise<Map<number, LockedItem>> {
  const found = new Map<number, LockedItem>();
  for (const slice of chunks(itemIds)) {
    const { rows } = await lockingItems(storeHash, slice, lock).execute(db);
    for (const { id, ...item } of rows) found.set(Number(id), item);
  }
  return found;
}

export interface ItemPlan {
  /** undefined: keep; null: unlimited. */
  backorderThreshold?: number | null;
  incomingStock?: number;
  /** YYYY-MM-DD; undefined: keep; null: no date. */
  backInStockDate?: string | null;
}

/**
 * Sets threshold, incoming stock and back-in-stock date on locked items, only the fields given and only
 * on rows where they differ, one statement per chunk. The ids are an index condition as well as the join's
 * (as in stock-moves.repo.ts): joined on the array alone, PostgreSQL may read the items from the table's
 * first row up to the chunk's last.
 */
export async function setPlans(trx: Db, storeHash: string, plans: ReadonlyArray<{ itemId: number; plan: ItemPlan }>): Promise<void> {
  for (const slice of chunks(plans)) {
    const ids = slice.map((s) => s.itemId);
    await sql`
      update inventory_items i set
        backorder_threshold = case when t.set_threshold then t.threshold else i.backorder_threshold end,
        incoming_stock = case when t.set_incoming then t.incoming else i.incoming_stock end,
        back_in_stock_date = case when t.set_date then t.bis_date else i.back_in_stock_date end,
        updated_at = now()
      from ${unnestRows(slice, {
        id: ['bigint', (s) => s.itemId],
        set_threshold: ['boolean', (s) => s.plan.backorderThreshold !== undefined],
        threshold: ['int', (s) => s.plan.backorderThreshold ?? null],
        set_incoming: ['boolean', (s) => s.plan.incomingStock !== undefined],
        incoming: ['int', (s) => s.plan.incomingStock ?? null],
        set_date: ['boolean', (s) => s.plan.backInStockDate !== undefined],
        bis_date: ['date', (s) => s.plan.backInStockDate ?? null],
      })}
      where i.store_hash = ${storeHash} and i.id = t.id and i.id = ${anyOf(ids, 'bigint')} and i.retired_at is null
        and ((t.set_threshold and t.threshold is distinct from i.backorder_threshold)
             or (t.set_incoming and t.incoming is distinct from i.incoming_stock)
             or (t.set_date and t.bis_date is distinct from i.back_in_stock_date))`.execute(trx);
  }
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
