/**
 * Many items changed at once (bulk edit, CSV import), set-based: a few statements per 10,000 items, each
 * doing the stock arithmetic in SQL and writing the ledger in the same statement.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { InventoryItem } from '../db/schema.ts';

const CHUNK = 10_000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** What an edit checks of a locked item: its stock and its plan. */
export type LockedItem = Pick<InventoryItem, 'current_stock' | 'backorder_threshold' | 'incoming_stock' | 'back_in_stock_date'>;

/** Locks the store's active items of `itemIds` for the transaction; returns their stock and plan by id. */
export async function lockItems(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<Map<number, LockedItem>> {
  const found = new Map<number, LockedItem>();
  for (const slice of chunks(itemIds)) {
    const rows = await sql<LockedItem & { id: string }>`
      select id, current_stock, backorder_threshold, incoming_stock, back_in_stock_date
      from inventory_items where store_hash = ${storeHash} and id = any(${slice}::bigint[]) and retired_at is null
      order by id for no key update`.execute(trx);
    for (const { id, ...item } of rows.rows) found.set(Number(id), item);
  }
  return found;
}

/** A new current stock for an item: `value` (an import's count), or `delta` added to whatever it is now (a form's change). */
export type StockSet = { itemId: number; value: number; delta?: never } | { itemId: number; delta: number; value?: never };

export interface StockMoved {
  itemId: number;
  before: number;
  after: number;
}

/**
 * Moves current stock on locked items, one statement per chunk: each to its value or by its delta, its
 * movement written together (delta = after − before), only where the stock changes.
 */
export async function setStocks(trx: Db, storeHash: string, sets: readonly StockSet[], movement: { reason: 'manual' | 'import'; keyPrefix: string; note: string }): Promise<StockMoved[]> {
  const moved: StockMoved[] = [];
  for (const slice of chunks(sets)) {
    const { rows } = await sql<{ itemId: string; before: number; after: number }>`
      with input as (
        select * from unnest(${slice.map((s) => s.itemId)}::bigint[], ${slice.map((s) => s.value ?? null)}::int[], ${slice.map((s) => s.delta ?? null)}::int[]) as t(id, value, delta)
      ), old as (
        select i.id, i.current_stock from inventory_items i join input on input.id = i.id
        where i.store_hash = ${storeHash} and i.retired_at is null
      ), changed as (
        update inventory_items i set current_stock = coalesce(input.value, i.current_stock + input.delta), updated_at = now()
        from input join old on old.id = input.id
        where i.store_hash = ${storeHash} and i.id = input.id and coalesce(input.value, old.current_stock + input.delta) <> old.current_stock
        returning i.id, old.current_stock as before, i.current_stock as after
      ), ledger as (
        insert into stock_movements (store_hash, item_id, delta, stock_after, reason, idempotency_key, note)
        select ${storeHash}, id, after - before, after, ${movement.reason}, ${movement.keyPrefix} || ':' || id, ${movement.note} from changed
      )
      select id as "itemId", before, after from changed`.execute(trx);
    moved.push(...rows.map((r) => ({ itemId: Number(r.itemId), before: r.before, after: r.after })));
  }
  return moved;
}

export interface PlanSet {
  itemId: number;
  /** undefined: keep; null: unlimited. */
  backorderThreshold?: number | null;
  incomingStock?: number;
  /** undefined: keep; null: no date. */
  backInStockDate?: string | null;
}

/** Sets threshold, incoming stock and back-in-stock date on locked items, only the fields given. */
export async function setPlans(trx: Db, storeHash: string, sets: readonly PlanSet[]): Promise<void> {
  for (const slice of chunks(sets)) {
    await sql`
      update inventory_items i set
        backorder_threshold = case when t.set_threshold then t.threshold else i.backorder_threshold end,
        incoming_stock = case when t.set_incoming then t.incoming else i.incoming_stock end,
        back_in_stock_date = case when t.set_date then t.bis_date else i.back_in_stock_date end,
        updated_at = now()
      from unnest(
        ${slice.map((s) => s.itemId)}::bigint[],
        ${slice.map((s) => s.backorderThreshold !== undefined)}::boolean[], ${slice.map((s) => s.backorderThreshold ?? null)}::int[],
        ${slice.map((s) => s.incomingStock !== undefined)}::boolean[], ${slice.map((s) => s.incomingStock ?? null)}::int[],
        ${slice.map((s) => s.backInStockDate !== undefined)}::boolean[], ${slice.map((s) => s.backInStockDate ?? null)}::date[]
      ) as t(id, set_threshold, threshold, set_incoming, incoming, set_date, bis_date)
      where i.store_hash = ${storeHash} and i.id = t.id and i.retired_at is null`.execute(trx);
  }
}

/** Of `itemIds`, those with open backorder lines (their ETAs depend on incoming stock and its date). */
export async function itemsWithOpenLines(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<number[]> {
  const found: number[] = [];
  for (const slice of chunks(itemIds)) {
    const { rows } = await sql<{ id: string }>`
      select distinct item_id as id from backorder_lines
      where store_hash = ${storeHash} and item_id = any(${slice}::bigint[]) and status in ('waiting', 'allocated')`.execute(trx);
    found.push(...rows.map((r) => Number(r.id)));
  }
  return found;
}
