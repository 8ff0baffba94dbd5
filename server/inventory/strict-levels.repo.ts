/**
 * Strict limit mode's rows: for an item BigCommerce tracks for the app (`strict_since` set),
 * `bigcommerce_level` is the level BigCommerce should have now — what the app last wrote or read, moved by
 * the orders BigCommerce counted since — and the app keeps it at `desiredLevel(stock, threshold)`.
 *
 * On BigCommerce's native backorders (`native_backorders`) the app inflates nothing: BigCommerce sells
 * on hand + limit − qty backordered (ref §9: the limit counts units sold after on hand reaches 0, and qty
 * backordered grows as orders go beyond on hand, so the limit is spent by what is backordered). The app
 * keeps on hand at max(0, stock), qty backordered at the units owed, max(0, −stock), and the limit at the
 * threshold: max(0, s) + t − max(0, −s) = s + t, its own salable quantity, exactly, whatever the sign of s.
 * Writing the limit as "threshold less what is backordered" instead would count the backordered units
 * twice. Orders keep all three in step by themselves (on hand takes what it has, qty backordered the rest,
 * the limit never moves), so as with inflated levels only the app's own inputs are written.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { unnestRows } from '../db/unnest.ts';
import { chunks } from './inventory.repo.ts';

/** BigCommerce's highest level (ref §3.3): an unlimited threshold keeps the level there. */
export const MAX_LEVEL = 2_147_483_647;

/**
 * The level a strict item keeps in BigCommerce: its salable quantity, never below 0 (null threshold:
 * unlimited) — on native backorders, what is on hand.
 */
export function desiredLevel(stock: number, threshold: number | null, native = false): number {
  if (native) return Math.min(MAX_LEVEL, Math.max(0, stock));
  return threshold === null ? MAX_LEVEL : Math.min(MAX_LEVEL, Math.max(0, stock + threshold));
}

/** SQL of `desiredLevel` over an item row `i`. */
const DESIRED_SQL = `case when i.native_backorders then least(${MAX_LEVEL}::bigint, greatest(0, i.current_stock))::int
  when i.backorder_threshold is null then ${MAX_LEVEL}
  else least(${MAX_LEVEL}::bigint, greatest(0, i.current_stock::bigint + i.backorder_threshold))::int end`;
const DESIRED = sql.raw(DESIRED_SQL);

/** SQL: a native strict item's qty backordered as BigCommerce should have it: the units owed. */
const DESIRED_BACKORDERED_SQL = 'greatest(0, -i.current_stock)';
const DESIRED_BACKORDERED = sql.raw(DESIRED_BACKORDERED_SQL);

/** SQL: whether a strict item of row `i` is out of step with BigCommerce (level, and on native backorders qty backordered and limit). */
const OUT_OF_STEP = sql.raw(`(i.bigcommerce_level is distinct from ${DESIRED_SQL}
  or (i.native_backorders and (i.bigcommerce_backordered is distinct from ${DESIRED_BACKORDERED_SQL}
    or not i.native_limit_written or i.native_backorder_limit is distinct from i.backorder_threshold)))`);

/**
 * After orders moved stock on items that were ever strict (under the items' locks): each order marks its item
 * as moved by an order now (a strict item's level read waits for orders to settle), and the units BigCommerce
 * took or gave back itself move the expected level the same way (never below 0, as BigCommerce's) — on
 * native backorders, on hand by `levelUnits` and qty backordered by `backorderedUnits`, as the order lines
 * say BigCommerce split them: not clamped, so that a level someone else wrote meanwhile is read as the change
 * it was (on hand never goes below 0 in BigCommerce; an expected level below 0 is one such write not yet read).
 */
export async function noteOrderMoves(
  trx: Db,
  storeHash: string,
  moves: ReadonlyArray<{ itemId: number; levelUnits: number; backorderedUnits: number }>,
): Promise<void> {
  if (moves.length === 0) return;
  await sql`
    update inventory_items i set
      last_order_at = now(),
      bigcommerce_level = case when t.units = 0 or i.bigcommerce_level is null then i.bigcommerce_level
        when i.native_backorders then i.bigcommerce_level + t.units else greatest(0, i.bigcommerce_level + t.units) end,
      bigcommerce_backordered = case when t.backordered = 0 or i.bigcommerce_backordered is null then i.bigcommerce_backordered
        else i.bigcommerce_backordered + t.backordered end,
      level_seq = i.level_seq + case when t.units = 0 and t.backordered = 0 then 0 else 1 end
    from (
      select id, sum(units)::int as units, sum(backordered)::int as backordered
      from ${unnestRows(moves, { id: ['bigint', (m) => m.itemId], units: ['int', (m) => m.levelUnits], backordered: ['int', (m) => m.backorderedUnits] })}
      group by id) t
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
        and ${OUT_OF_STEP}
      order by i.id`.execute(db);
    found.push(...rows.map((row) => Number(row.id)));
  }
  return found;
}

/** A strict item locked for a level write: where its level lives, what BigCommerce should have and what it has. */
export interface LevelToWrite {
  itemId: number;
  productId: number;
  variantId: number | null;
  expected: number | null;
  desired: number;
  /** Native backorders: qty backordered expected and desired, the limit to keep (null: unlimited), and whether it is written. */
  native: boolean;
  expectedBackordered: number | null;
  desiredBackordered: number;
  limit: number | null;
  limitWritten: { limit: number | null } | null;
}

/** Locks the strict items of `itemIds` that are out of step, in id order; returns what each needs. */
export async function lockLevelsToWrite(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<LevelToWrite[]> {
  const { rows } = await sql<{
    id: string;
    product_id: number;
    variant_id: number | null;
    expected: number | null;
    desired: number;
    native_backorders: boolean;
    bigcommerce_backordered: number | null;
    desired_backordered: number;
    backorder_threshold: number | null;
    native_limit_written: boolean;
    native_backorder_limit: number | null;
  }>`
    select i.id, i.product_id, i.variant_id, i.bigcommerce_level as expected, ${DESIRED} as desired, i.native_backorders,
      i.bigcommerce_backordered, ${DESIRED_BACKORDERED} as desired_backordered, i.backorder_threshold, i.native_limit_written, i.native_backorder_limit
    from inventory_items i
    where i.store_hash = ${storeHash} and i.id = any(${[...itemIds]}::bigint[]) and i.strict_since is not null and i.retired_at is null
      and ${OUT_OF_STEP}
    order by i.id for no key update`.execute(trx);
  return rows.map((r) => ({
    itemId: Number(r.id),
    productId: r.product_id,
    variantId: r.variant_id,
    expected: r.expected,
    desired: Number(r.desired),
    native: r.native_backorders,
    expectedBackordered: r.bigcommerce_backordered,
    desiredBackordered: Number(r.desired_backordered),
    limit: r.backorder_threshold,
    limitWritten: r.native_limit_written ? { limit: r.native_backorder_limit } : null,
  }));
}

/**
 * BigCommerce's levels moved by `units` (and qty backordered by `backordered`): the expected ones follow,
 * and reads begun before are stale.
 */
export async function levelsWritten(trx: Db, storeHash: string, written: ReadonlyArray<{ itemId: number; units: number; backordered: number }>): Promise<void> {
  if (written.length === 0) return;
  await sql`
    update inventory_items i set bigcommerce_level = i.bigcommerce_level + t.units,
      bigcommerce_backordered = i.bigcommerce_backordered + t.backordered, level_seq = i.level_seq + 1, updated_at = now()
    from ${unnestRows(written, { id: ['bigint', (w) => w.itemId], units: ['int', (w) => w.units], backordered: ['int', (w) => w.backordered] })}
    where i.store_hash = ${storeHash} and i.id = t.id`.execute(trx);
}

/** The native backorder limits the app wrote (null: unlimited), or handed back (`limit` undefined: none of its own any more). */
export async function limitsWritten(trx: Db, storeHash: string, written: ReadonlyArray<{ itemId: number; limit?: number | null }>): Promise<void> {
  if (written.length === 0) return;
  await sql`
    update inventory_items i set native_limit_written = t.written, native_backorder_limit = t.lim, updated_at = now()
    from ${unnestRows(written, { id: ['bigint', (w) => w.itemId], written: ['boolean', (w) => w.limit !== undefined], lim: ['int', (w) => w.limit ?? null] })}
    where i.store_hash = ${storeHash} and i.id = t.id`.execute(trx);
}

/** BigCommerce's qty backordered as read for native strict items: what the app expects from now on. */
export async function recordBackordered(db: Db, storeHash: string, read: ReadonlyArray<{ itemId: number; backordered: number }>): Promise<void> {
  if (read.length === 0) return;
  await sql`
    update inventory_items i set bigcommerce_backordered = t.backordered, level_seq = i.level_seq + 1, updated_at = now()
    from ${unnestRows(read, { id: ['bigint', (r) => r.itemId], backordered: ['int', (r) => r.backordered] })}
    where i.store_hash = ${storeHash} and i.id = t.id`.execute(db);
}

/**
 * The items are held strictly from `at` on (BigCommerce tracks them; an order from that second on moves its
 * level itself) — on native backorders when `native` —, or flexibly again from `at` (an order placed before
 * still moved it).
 */
export async function markStrict(db: Db, storeHash: string, itemIds: readonly number[], strict: boolean, at: Date, native = false): Promise<void> {
  if (itemIds.length === 0) return;
  await db
    .updateTable('inventory_items')
    .set(
      strict
        ? {
            strict_since: at,
            level_counted_from: at,
            level_counted_until: null,
            native_backorders: native,
            updated_at: sql`now()`,
            level_seq: sql`level_seq + 1`,
          }
        : { strict_since: null, level_counted_until: at, native_backorders: false, updated_at: sql`now()`, level_seq: sql`level_seq + 1` },
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

/** The native backorder limits the app wrote on the products' items and still holds as its own (null: unlimited), by product. */
export async function ownLimits(db: Db, storeHash: string, productIds: readonly number[]): Promise<Map<number, Set<number | null>>> {
  const own = new Map<number, Set<number | null>>();
  if (productIds.length === 0) return own;
  const rows = await db
    .selectFrom('inventory_items')
    .select(['product_id', 'native_backorder_limit'])
    .where('store_hash', '=', storeHash)
    .where('product_id', 'in', [...productIds])
    .where('native_limit_written', '=', true)
    .execute();
  for (const row of rows) own.set(row.product_id, (own.get(row.product_id) ?? new Set()).add(row.native_backorder_limit));
  return own;
}

/** Of `itemIds` (retired ones included), those whose native backorder limit in BigCommerce is the app's: to hand back. */
export async function limitsToHandBack(db: Db, storeHash: string, itemIds: readonly number[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('inventory_items')
    .select(['id', 'product_id', 'variant_id'])
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...itemIds])
    .where('native_limit_written', '=', true)
    .execute();
}
