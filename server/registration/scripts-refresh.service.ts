/**
 * A store's registered scripts must follow two things: the storefront build (scripts carry the bundle's
 * version and integrity hashes) and the store's Custom theme selectors (carried in the loader's URL). A deploy
 * queues a refresh for each store of another build when the workers start; saving settings that change the
 * selectors queues one for that store. Each is a 'scripts' job on the reconcile queue.
 */
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import type { StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { bundleVersion, registerScripts, scriptsVersion, selectorsOf, type RegistrationOptions, type StorefrontBundle } from './registration.service.ts';

export interface ScriptsJob {
  storeHash: string;
}

/** Queues one store's scripts refresh (once: a refresh already waiting covers it). */
export async function queueScriptsRefresh(queue: Queue, storeHash: string): Promise<void> {
  const data: ScriptsJob = { storeHash };
  await queue.add('scripts', data, { deduplication: { id: `scripts-${storeHash}`, keepLastIfActive: true } });
}

/** Queues a refresh for every installed store whose scripts are of another build. */
export async function queueScriptRefreshes(db: Db, queue: Queue, bundle: StorefrontBundle): Promise<number> {
  const current = bundleVersion(bundle);
  // A store's version is the build's, or the build's with `+` and its selectors' hash (see scriptsVersion).
  const stores = await db
    .selectFrom('stores')
    .select('store_hash')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('scripts_version', 'is', null), eb(sql<string>`split_part(scripts_version, '+', 1)`, '<>', current)]))
    .execute();
  for (const { store_hash: storeHash } of stores) await queueScriptsRefresh(queue, storeHash);
  return stores.length;
}

/** Registers the store's scripts for this build and its settings unless they already are; true when it had to. */
export async function refreshScripts(
  db: Db,
  connection: Pick<StoreConnection, 'storeHash' | 'registerScripts'>,
  options: Pick<RegistrationOptions, 'appUrl' | 'bundle' | 'lock'>,
): Promise<boolean> {
  const version = scriptsVersion(options.bundle, await selectorsOf(db, connection.storeHash));
  const store = await db.selectFrom('stores').select('scripts_version').where('store_hash', '=', connection.storeHash).executeTakeFirst();
  if (store?.scripts_version === version) return false;
  await registerScripts(db, connection, options);
  return true;
}
