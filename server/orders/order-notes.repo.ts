/** Rows of `order_notes` (the orders whose BackOrder note is written in BigCommerce), and the lines a note tells. */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { overridesOf } from '../settings/settings.repo.ts';
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

/** Whether the order's note is recorded as written, as an SQL condition. */
const noted = (storeHash: string, orderId: number | RawBuilder<number>) =>
  sql<boolean>`exists (select 1 from order_notes n where n.store_hash = ${storeHash} and n.order_id = ${orderId})`;

/** What writing an order's note starts from: the lines it tells, whether it is recorded as written, and the store's saved settings. */
export interface NoteWork {
  lines: NotedLine[];
  noted: boolean;
  overrides: Record<string, unknown> | null;
}

/**
 * The order's backordered lines (not cancelled), in line order, each with the ETA its note may promise,
 * read in one statement with whether the note is written and the settings it is written under; undefined
 * when the order has nothing to tell.
 */
export async function noteWork(db: Db, storeHash: string, orderId: number): Promise<NoteWork | undefined> {
  const rows = await db
    .selectFrom('backorder_lines as b')
    .select([
      'product_name',
      'sku',
      'backordered_qty',
      sql<string | null>`case when eta >= ${todayOfStore(storeHash)} then eta end`.as('eta'),
      noted(storeHash, orderId).as('noted'),
      overridesOf(storeHash).as('overrides'),
    ])
    .where('store_hash', '=', storeHash)
    .where('order_id', '=', orderId)
    .where(told('b'))
    .orderBy('order_product_id')
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  const lines = rows.map(({ product_name, sku, backordered_qty, eta }) => ({ product_name, sku, backordered_qty, eta }));
  return { lines, noted: first.noted, overrides: first.overrides };
}

/**
 * Whether the order's note is owed, as an SQL condition: it has lines to tell and is not recorded as
 * written. A read of the order's lines carries it (order-lines.repo), so that a repeat delivery asks for the
 * note without a statement of its own, and an order that backordered nothing never asks.
 */
export function noteOwed(storeHash: string, orderId: number) {
  return sql<boolean>`(exists (select 1 from backorder_lines b where b.store_hash = ${storeHash} and b.order_id = ${orderId} and ${told('b')})
    and not ${noted(storeHash, orderId)})`;
}

/**
 * How long after its first line was told an order's note counts as overdue: its job waits a few seconds for the
 * order's events and retries for about two minutes, so one younger than this is most likely still on its way.
 */
const NOTE_OVERDUE_AFTER = '15 minutes';

/**
 * Of these orders, those whose note is overdue: lines to tell for longer than NOTE_OVERDUE_AFTER, no note
 * recorded as written (`noteOwed`, aged).
 */
export async function ordersOwingNotes(db: Db, storeHash: string, orderIds: readonly number[]): Promise<number[]> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .selectFrom('backorder_lines as b')
    .select('b.order_id')
    .distinct()
    .where('b.store_hash', '=', storeHash)
    .where(sql<boolean>`b.order_id = any(${[...orderIds]}::bigint[])`)
    .where(told('b'))
    .where(sql<boolean>`b.created_at < now() - ${NOTE_OVERDUE_AFTER}::interval`)
    .where(sql<boolean>`not ${noted(storeHash, sql.ref('b.order_id'))}`)
    .orderBy('b.order_id')
    .execute();
  return rows.map((row) => Number(row.order_id));
}

export async function markNoted(db: Db, storeHash: string, orderId: number): Promise<void> {
  await db
    .insertInto('order_notes')
    .values({ store_hash: storeHash, order_id: orderId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
