/** Rows of `selling_checks_owed`: items whose selling check was given up while BigCommerce was away. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { outOfStep } from '../inventory/selling-candidates.repo.ts';

/** Records that the item's check was given up; the selling sweep asks again. */
export async function oweSellingCheck(db: Db, storeHash: string, itemId: number): Promise<void> {
  await db
    .insertInto('selling_checks_owed')
    .values({ store_hash: storeHash, item_id: itemId })
    .onConflict((oc) => oc.columns(['store_hash', 'item_id']).doUpdateSet({ given_up_at: sql`now()` }))
    .execute();
}

export interface OwedCheck {
  store_hash: string;
  item_id: number;
  /** As PostgreSQL has it (microseconds, which a Date would lose): `forgetOwedChecks` matches on it. */
  given_up_at: string;
  /** Still out of step, in an active store: to ask again. Otherwise a later check made up for it. */
  due: boolean;
}

/** Every owed check, and whether it is still due. */
export async function owedSellingChecks(db: Db): Promise<OwedCheck[]> {
  const { rows } = await sql<OwedCheck>`
    select o.store_hash, o.item_id, o.given_up_at::text as given_up_at, (s.status = 'active' and ${outOfStep('i')}) as due
    from selling_checks_owed o
    join inventory_items i on i.store_hash = o.store_hash and i.id = o.item_id
    join stores s on s.store_hash = o.store_hash
    order by o.store_hash, o.item_id`.execute(db);
  return rows.map((row) => ({ ...row, item_id: Number(row.item_id) }));
}

/** Forgets the owed checks read (asked again, or no longer needed); one given up again since stays. */
export async function forgetOwedChecks(db: Db, owed: readonly OwedCheck[]): Promise<void> {
  if (owed.length === 0) return;
  await sql`
    delete from selling_checks_owed o
    using unnest(${owed.map((c) => c.store_hash)}::text[], ${owed.map((c) => c.item_id)}::bigint[], ${owed.map((c) => c.given_up_at)}::timestamptz[])
      as r(store_hash, item_id, given_up_at)
    where o.store_hash = r.store_hash and o.item_id = r.item_id and o.given_up_at = r.given_up_at`.execute(db);
}
