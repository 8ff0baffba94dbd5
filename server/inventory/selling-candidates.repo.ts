/** Which items selling control must look at: those a change made stop or resume, and those out of step. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Selling out of step with the salable quantity: at or below 0 without an applied purchasing hold, above 0
 * with a hold still active, or with a hold not yet applied — or released, or strict (BigCommerce's level
 * stops selling), with a hold still open. An SQL condition on the `inventory_items` row aliased `item`,
 * which a read of an order's lines carries too (order-lines.repo). Sums in bigint: each column fits an
 * integer, their sum need not (stock raised by a restock or BigCommerce beside a high threshold).
 */
export const outOfStep = (item: string) =>
  sql.raw(`
  case when ${item}.retired_at is not null or ${item}.strict_since is not null
    then exists (select 1 from purchasing_holds h where h.store_hash = ${item}.store_hash and h.item_id = ${item}.id and h.lifted_at is null)
  when ${item}.current_stock::bigint + ${item}.backorder_threshold <= 0
    then not exists (select 1 from purchasing_holds h
                     where h.store_hash = ${item}.store_hash and h.item_id = ${item}.id and h.lifted_at is null and h.applied_at is not null)
    else exists (select 1 from purchasing_holds h where h.store_hash = ${item}.store_hash and h.item_id = ${item}.id and h.lifted_at is null)
  end`);

/**
 * The store's items whose selling is out of step. Reconcile has each checked, so a check lost to a crash or
 * to exhausted retries is made up for.
 */
export async function sellingOutOfStep(db: Db, storeHash: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select i.id from inventory_items i where i.store_hash = ${storeHash} and ${outOfStep('i')} order by i.id`.execute(db);
  return rows.map((row) => Number(row.id));
}

/**
 * Items of active stores changed since `since` whose selling is out of step, by store: what a selling
 * check that could not be queued (Redis away when the change committed) left behind. Every stock, threshold
 * and assignment change touches `updated_at`.
 */
export async function recentlyOutOfStep(db: Db, since: Date): Promise<Map<string, number[]>> {
  const { rows } = await sql<{ store_hash: string; id: number }>`
    select i.store_hash, i.id from inventory_items i join stores s on s.store_hash = i.store_hash and s.status = 'active'
    where i.updated_at >= ${since} and ${outOfStep('i')} order by i.store_hash, i.id`.execute(db);
  const byStore = new Map<string, number[]>();
  for (const row of rows) byStore.set(row.store_hash, [...(byStore.get(row.store_hash) ?? []), Number(row.id)]);
  return byStore;
}

/**
 * Of `itemIds` (changed), those whose salable quantity is 0 or less (selling must stop) or that carry an
 * active purchasing hold (selling may resume). The others cannot change state, so a 100,000-row import
 * queues a check only for the few that can. A stock change applies the same rule to what it read under its
 * items' locks (stock.service's `followOf`); this read is for items changed without them (created, assigned).
 */
export async function sellingCandidates(db: Db, storeHash: string, itemIds: readonly number[]): Promise<number[]> {
  const found: number[] = [];
  for (let i = 0; i < itemIds.length; i += 10_000) {
    const slice = itemIds.slice(i, i + 10_000);
    const { rows } = await sql<{ id: number }>`
      select i.id from inventory_items i
      where i.store_hash = ${storeHash} and i.id = any(${slice}::bigint[]) and i.retired_at is null
        and ((i.current_stock::bigint + i.backorder_threshold <= 0 and i.strict_since is null)
             or exists (select 1 from purchasing_holds h where h.store_hash = i.store_hash and h.item_id = i.id and h.lifted_at is null))`.execute(db);
    found.push(...rows.map((row) => Number(row.id)));
  }
  return found;
}

/** Of `itemIds` (a handful: an order's items), those whose selling is out of step. */
export async function outOfStepAmong(db: Db, storeHash: string, itemIds: readonly number[]): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select i.id from inventory_items i where i.store_hash = ${storeHash} and i.id = any(${itemIds}::bigint[]) and ${outOfStep('i')}`.execute(db);
  return rows.map((row) => Number(row.id));
}
