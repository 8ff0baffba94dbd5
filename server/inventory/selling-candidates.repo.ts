/** Which changed items selling control must look at: those that cannot sell now, or that the app stopped. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Of `itemIds`, those whose salable quantity is 0 or less (selling must stop) or that carry an active
 * purchasing hold (selling may resume). The others cannot change state, so a 100,000-row import queues a
 * check only for the few that can.
 */
export async function sellingCandidates(db: Db, storeHash: string, itemIds: readonly number[]): Promise<number[]> {
  const found: number[] = [];
  for (let i = 0; i < itemIds.length; i += 10_000) {
    const slice = itemIds.slice(i, i + 10_000);
    const { rows } = await sql<{ id: number }>`
      select i.id from inventory_items i
      where i.store_hash = ${storeHash} and i.id = any(${slice}::bigint[]) and i.retired_at is null
        and (i.current_stock + i.backorder_threshold <= 0
             or exists (select 1 from purchasing_holds h where h.store_hash = i.store_hash and h.item_id = i.id and h.lifted_at is null))`.execute(db);
    found.push(...rows.map((row) => Number(row.id)));
  }
  return found;
}

/**
 * The store's items whose selling is out of step with their salable quantity: at or below 0 without an
 * applied purchasing hold, above 0 with a hold still active, or with a hold not yet applied — or released
 * with a hold still open. Reconcile
 * has each checked, so a check lost to a crash or to exhausted retries is made up for.
 */
export async function sellingOutOfStep(db: Db, storeHash: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select i.id from inventory_items i
    where i.store_hash = ${storeHash}
      and case when i.retired_at is not null
            then exists (select 1 from purchasing_holds h where h.store_hash = i.store_hash and h.item_id = i.id and h.lifted_at is null)
          when i.current_stock + i.backorder_threshold <= 0
            then not exists (select 1 from purchasing_holds h
                             where h.store_hash = i.store_hash and h.item_id = i.id and h.lifted_at is null and h.applied_at is not null)
            else exists (select 1 from purchasing_holds h where h.store_hash = i.store_hash and h.item_id = i.id and h.lifted_at is null)
          end
    order by i.id`.execute(db);
  return rows.map((row) => Number(row.id));
}
