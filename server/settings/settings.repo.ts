/** Rows of `store_settings`: only the overrides a merchant saved. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export async function findOverrides(db: Db, storeHash: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('store_settings').select('overrides').where('store_hash', '=', storeHash).executeTakeFirst();
  return row?.overrides ?? {};
}

/**
 * The store's overrides as an SQL value (null when it saved none), so that a read of other rows can carry
 * the settings it is read under without a statement of its own.
 */
export function overridesOf(storeHash: string) {
  return sql<Record<string, unknown> | null>`(select s.overrides from store_settings s where s.store_hash = ${storeHash})`;
}

/**
 * The store's overrides, its row locked until the transaction ends: made (empty) first when the store saved
 * none, so that two first saves also wait for each other.
 */
export async function lockOverrides(trx: Db, storeHash: string): Promise<Record<string, unknown>> {
  await trx
    .insertInto('store_settings')
    .values({ store_hash: storeHash, overrides: '{}' })
    .onConflict((oc) => oc.column('store_hash').doNothing())
    .execute();
  const row = await trx.selectFrom('store_settings').select('overrides').where('store_hash', '=', storeHash).forUpdate().executeTakeFirstOrThrow();
  return row.overrides;
}

export async function saveOverrides(db: Db, storeHash: string, overrides: Record<string, unknown>): Promise<void> {
  const json = JSON.stringify(overrides);
  await db
    .insertInto('store_settings')
    .values({ store_hash: storeHash, overrides: json })
    .onConflict((oc) => oc.column('store_hash').doUpdateSet({ overrides: json, updated_at: new Date() }))
    .execute();
}
