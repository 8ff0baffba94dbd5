/** Rows of `order_notes` (the orders whose BackOrder note is written in BigCommerce), and the lines a note tells. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { todayOfStore } from '../stores/stores.repo.ts';

/** A line as the order's note tells it: what was backordered, and its ETA unless that date has gone by in the store. */
export interface NotedLine {
  product_name: string;
  sku: string;
  backordered_qty: number;
  eta: string | null;
}

/** The backorder lines a note tells (of the `backorder_lines` row aliased `line`): backordered, not cancelled. */
const told = (line: string) => sql.raw<boolean>(`${line}.status <> 'cancelled' and ${line}.backordered_qty > 0`);

/** The order's backordered lines (not cancelled), in line order, each with the ETA its note may promise. */
export async function noteLinesOfOrder(db: Db, storeHash: string, orderId: number): Promise<NotedLine[]> {
  return db
    .selectFrom('backorder_lines as b')
    .select(['product_name', 'sku', 'backordered_qty', sql<string | null>`case when eta >= ${todayOfStore(storeHash)} then eta end`.as('eta')])
    .where('store_hash', '=', storeHash)
    .where('order_id', '=', orderId)
    .where(told('b'))
    .orderBy('order_product_id')
    .execute();
}

/**
 * Whether the order's note is owed, as an SQL condition: it has lines to tell and is not recorded as
 * written. A read of the order's lines carries it (order-lines.repo), so that a repeat delivery asks for the
 * note without a statement of its own, and an order that backordered nothing never asks.
 */
export function noteOwed(storeHash: string, orderId: number) {
  return sql<boolean>`(exists (select 1 from backorder_lines b where b.store_hash = ${storeHash} and b.order_id = ${orderId} and ${told('b')})
    and not exists (select 1 from order_notes n where n.store_hash = ${storeHash} and n.order_id = ${orderId}))`;
}

export async function isNoted(db: Db, storeHash: string, orderId: number): Promise<boolean> {
  const row = await db.selectFrom('order_notes').select('order_id').where('store_hash', '=', storeHash).where('order_id', '=', orderId).executeTakeFirst();
  return row !== undefined;
}

export async function markNoted(db: Db, storeHash: string, orderId: number): Promise<void> {
  await db
    .insertInto('order_notes')
    .values({ store_hash: storeHash, order_id: orderId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
