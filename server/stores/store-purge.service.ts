/**
 * Purging an uninstalled store once its retention has run out: every row keyed by the store goes, in one
 * transaction, children before parents (the stock ledger references items, items reference assignments).
 * The store row is locked and re-checked first, so a store reinstalled a moment ago is never purged.
 */
import type { Db } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { findDueForPurge } from './stores.repo.ts';

/** Every table holding a store's rows, in the order they are deleted. A test checks none is missing. */
export const STORE_TABLES = [
  'reconcile_runs',
  'purchasing_holds',
  'selling_checks_owed',
  'order_notes',
  'stock_movements',
  'backorder_lines',
  'order_lines',
  'inventory_items',
  'assignments',
  'catalog_variants',
  'catalog_products',
  'catalog_categories',
  'catalog_brands',
  'import_rows',
  'import_file_parts',
  'imports',
  'jobs',
  'webhook_events',
  'store_settings',
  'plan_checkouts',
  'store_plans',
  'store_users',
  'used_signed_payloads',
  'stores',
] as const satisfies ReadonlyArray<keyof DB>;

/** Keyed by store but kept: the billing ledger is the operator's record of what was charged. */
export const KEPT_AFTER_PURGE = ['billing_charges'] as const satisfies ReadonlyArray<keyof DB>;

/** Deletes the store's data when it is uninstalled and due; false (and nothing deleted) otherwise. */
export async function purgeStore(db: Db, storeHash: string, now = new Date()): Promise<boolean> {
  return (await purge(db, storeHash, (store) => store.purge_after !== null && store.purge_after <= now)) === 'purged';
}

/**
 * The operator's purge: an uninstalled store's data goes now, before its retention runs out. A store that is
 * installed (again) is never purged.
 */
export async function purgeUninstalledStoreNow(db: Db, storeHash: string): Promise<'purged' | 'not-found' | 'installed'> {
  const outcome = await purge(db, storeHash, () => true);
  return outcome === 'not-due' ? 'installed' : outcome; // never: every uninstalled store is due now
}

async function purge(
  db: Db,
  storeHash: string,
  due: (store: { purge_after: Date | null }) => boolean,
): Promise<'purged' | 'not-found' | 'installed' | 'not-due'> {
  return db.transaction().execute(async (trx) => {
    const store = await trx.selectFrom('stores').select(['status', 'purge_after']).where('store_hash', '=', storeHash).forUpdate().executeTakeFirst();
    if (!store) return 'not-found';
    if (store.status !== 'uninstalled') return 'installed';
    if (!due(store)) return 'not-due';
    for (const table of STORE_TABLES) {
      await trx.deleteFrom(table).where('store_hash', '=', storeHash).execute();
    }
    return 'purged';
  });
}

/** Purges every store that is due; returns the store hashes purged. */
export async function purgeDueStores(db: Db, now = new Date()): Promise<string[]> {
  const purged: string[] = [];
  for (const storeHash of await findDueForPurge(db, now)) {
    if (await purgeStore(db, storeHash, now)) purged.push(storeHash);
  }
  return purged;
}
