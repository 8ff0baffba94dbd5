/**
 * Strict limit mode's rows: for an item BigCommerce tracks for the app (`strict_since` set),
 * `bigcommerce_level` is the level BigCommerce should have now — what the app last wrote or read, moved by
 * the orders BigCommerce counted since — and the app keeps it at `desiredLevel(stock, threshold)`.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { chunks } from './inventory.repo.ts';

/** BigCommerce's highest level (ref §3.3): an unlimited threshold keeps the level there. */
export const MAX_LEVEL = 2_147_483_647;

/** The level a strict item keeps in BigCommerce: its salable quantity, never below 0 (null threshold: unlimited). */
export function desiredLevel(stock: number, threshold: number | null): number {
  return threshold === null ? MAX_LEVEL : Math.min(MAX_LEVEL, Math.max(0, stock + threshold));
}

/** SQL of `desiredLevel` over an item row `i`. */
const DESIRED = sql.raw(`case when i.backorder_threshold is null then ${MAX_LEVEL}
  else least(${MAX_LEVEL}::bigint, greatest(0, i.current_stock::bigint + i.backorder_threshold))::int end`);

/**
 * After orders moved stock on items that were ever strict (under the items' locks): each order marks its item
 * as moved by an order now (a strict item's level read waits for orders to settle), and the units BigCommerce
 * took or gave back itself move the expected level the same way (never below 0, as BigCommerce's).
 */
export async function noteOrderMoves(trx: Db, storeHash: string, moves: ReadonlyArray<{ itemId: number; levelUnits: number }>): Promise<void> {
  if (moves.length === 0) return;
  await sql`
    update inventory_items i set
      last_order_at = now(),
      bigcommerce_level = case when t.units = 0 or i.bigcommerce_level is null then i.bigcommerce_level else greatest(0, i.bigcommerce_level + t.units) end,
      level_seq = i.level_seq + case when t.units = 0 then 0 else 1 end
    from (select id, sum(units)::int as units from unnest(${moves.map((m) => m.itemId)}::bigint[], ${moves.map((m) => m.levelUnits)}::int[]) as u(id, units) group by id) t
    where i.store_hash = ${storeHash} and i.id = t.id and i.level_counted_from is not null`.execute(trx);
}

/** Of `itemIds`, the strict items whose level in BigCommerce is not (or not known to be) their salable quantity. */
export async function strictLevelsOutOfStep(db: Db, storeHash: string, itemIds?: readonly number[]): Promise<number[]> {
  const found: number[] = [];
  const slices = itemIds ? chunks(itemIds) : [null];
  for (const slice of slices) {
    const { rows } = await sql<{ id: string }>`
      select i.id from inventory_items i
      where i.store_hash = ${storeHash} and i.strict_since is not null and i.retired_at is null
        ${slice ? sql`and i.id = any(${slice}::bigint[])` : sql``}
        and i.bigcommerce_level is distinct from ${DESIRED}
      order by i.id`.execute(db);
    found.push(...rows.map((row) => Number(row.id)));
  }
  return found;
}

/** A strict item locked for a level write: where its level lives, the level expected, and the one it should have. */
export interface LevelToWrite {
  itemId: number;
  productId: number;
  variantId: number | null;
  expected: number | null;
  desired: number;
}

/** Locks the strict items of `itemIds` whose level is out of step, in id order; returns what each needs. */
export async function lockLevelsToWrite(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<LevelToWrite[]> {
  const { rows } = await sql<{ id: string; product_id: number; variant_id: number | null; expected: number | null; desired: number }>`
    select i.id, i.product_id, i.variant_id, i.bigcommerce_level as expected, ${DESIRED} as desired
    from inventory_items i
    where i.store_hash = ${storeHash} and i.id = any(${[...itemIds]}::bigint[]) and i.strict_since is not null and i.retired_at is null
    order by i.id for no key update`.execute(trx);
  return rows
    .map((r) => ({ itemId: Number(r.id), productId: r.product_id, variantId: r.variant_id, expected: r.expected, desired: Number(r.desired) }))
    .filter((r) => r.expected !== r.desired);
}

/** BigCommerce's levels moved by `units`: the expected levels follow, and reads begun before are stale. */
export async function levelsWritten(trx: Db, storeHash: string, written: ReadonlyArray<{ itemId: number; units: number }>): Promise<void> {
  if (written.length === 0) return;
  await sql`
    update inventory_items i set bigcommerce_level = i.bigcommerce_level + t.units, level_seq = i.level_seq + 1, updated_at = now()
    from unnest(${written.map((w) => w.itemId)}::bigint[], ${written.map((w) => w.units)}::int[]) as t(id, units)
    where i.store_hash = ${storeHash} and i.id = t.id`.execute(trx);
}

/**
 * The items are held strictly from `at` on (BigCommerce tracks them; an order from that second on moves its
 * level itself), or flexibly again from `at` (an order placed before still moved it).
 */
export async function markStrict(db: Db, storeHash: string, itemIds: readonly number[], strict: boolean, at: Date): Promise<void> {
  if (itemIds.length === 0) return;
  await db
    .updateTable('inventory_items')
    .set(
      strict
        ? { strict_since: at, level_counted_from: at, level_counted_until: null, updated_at: sql`now()`, level_seq: sql`level_seq + 1` }
        : { strict_since: null, level_counted_until: at, updated_at: sql`now()`, level_seq: sql`level_seq + 1` },
    )
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...itemIds])
    .execute();
}

/**
 * The level BigCommerce has for the items is no longer known (a limit mode switch: an order placed while
 * BigCommerce switched cannot be told to have moved it or not): their next settled read only records it.
 */
export async function forgetLevels(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await sql`
    update inventory_items set bigcommerce_level = null, level_seq = level_seq + 1, updated_at = now()
    where store_hash = ${storeHash} and id = any(${[...itemIds]}::bigint[])`.execute(trx);
}

/**
 * Whether an order event of the store is recorded but not yet applied: an order BigCommerce has counted in a
 * strict item's level that the app has not — reading the level now would take it for someone else's change.
 * One recorded over two minutes ago no longer holds reads back (a delivery that keeps failing must not stop them).
 * (The webhooks' own table, read here because the level read must wait for it; partial index on pending rows.)
 */
export async function orderEventsPending(db: Db, storeHash: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from webhook_events
    where status = 'received' and received_at > now() - interval '2 minutes' and store_hash = ${storeHash} and scope like 'store/order/%'
    limit 1`.execute(db);
  return rows.length > 0;
}
