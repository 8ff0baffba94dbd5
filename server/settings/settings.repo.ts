/** Rows of `store_settings`: only the overrides a merchant saved. */
import type { Db } from '../db/database.ts';

export async function findOverrides(db: Db, storeHash: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('store_settings').select('overrides').where('store_hash', '=', storeHash).executeTakeFirst();
  return row?.overrides ?? {};
}

export async function saveOverrides(db: Db, storeHash: string, overrides: Record<string, unknown>): Promise<void> {
  const json = JSON.stringify(overrides);
  await db
    .insertInto('store_settings')
    .values({ store_hash: storeHash, overrides: json })
    .onConflict((oc) => oc.column('store_hash').doUpdateSet({ overrides: json, updated_at: new Date() }))
    .execute();
}
