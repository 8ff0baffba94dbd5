/**
 * A deploy with a new storefront build must reach every store: scripts carry the bundle's version and
 * integrity hashes, so each store whose registered version differs gets its scripts registered again.
 * Runs when the workers start, store by store, as jobs.
 */
import type { Queue } from 'bullmq';
import type { BigCommerceClient } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { bundleVersion, registerScripts, type StorefrontBundle } from './registration.service.ts';

export interface ScriptsJob {
  storeHash: string;
}

/** Queues a refresh for every installed store whose scripts are of another build. */
export async function queueScriptRefreshes(db: Db, queue: Queue, bundle: StorefrontBundle): Promise<number> {
  const stores = await db
    .selectFrom('stores')
    .select('store_hash')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('scripts_version', 'is', null), eb('scripts_version', '<>', bundleVersion(bundle))]))
    .execute();
  for (const { store_hash: storeHash } of stores) {
    const data: ScriptsJob = { storeHash };
    await queue.add('scripts', data, { deduplication: { id: `scripts-${storeHash}`, keepLastIfActive: true } });
  }
  return stores.length;
}

/** Registers the store's scripts for this build unless they already are; true when it had to. */
export async function refreshScripts(db: Db, client: BigCommerceClient, options: { appUrl: string; bundle: StorefrontBundle }): Promise<boolean> {
  const version = bundleVersion(options.bundle);
  const store = await db.selectFrom('stores').select('scripts_version').where('store_hash', '=', client.storeHash).executeTakeFirst();
  if (store?.scripts_version === version) return false;
  await registerScripts(client, options);
  await db.updateTable('stores').set({ scripts_version: version }).where('store_hash', '=', client.storeHash).execute();
  return true;
}
