/**
 * The reconcile command's work (see scripts/reconcile.ts): proves and heals each installed store through
 * the gateway, as the app reaches BigCommerce, and prints what it fixed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createBigCommerceGateway, RateLimitedError, StoreNotConnectedError, type BigCommerceGateway } from '../../server/bigcommerce/index.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { withDevelopmentSecrets } from '../../server/dev-secrets.ts';
import { configuredDatabase, openDatabase } from '../../server/db/database.ts';
import { keyedLock } from '../../server/db/keyed-lock.ts';
import type { StockEffects } from '../../server/inventory/stock-effects.ts';
import { writeStrictLevels } from '../../server/inventory/level-writes.service.ts';
import { writeOrderNote } from '../../server/orders/order-note.service.ts';
import { schemaForCommand } from '../../server/db/migrate.ts';
import { activeStores } from '../../server/reconcile/reconcile.jobs.ts';
import { syncSubscription } from '../../server/plans/subscription-sync.service.ts';
import { itemsToCheck, runReconcile } from '../../server/reconcile/reconcile.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../../server/registration/storefront-bundle.ts';
import { convergeSelling } from '../../server/selling/selling.service.ts';
import { sellingStoppedMessage } from '../../server/settings/settings.service.ts';
import { findStore } from '../../server/stores/stores.repo.ts';
import { accessTokenFor } from '../../server/stores/stores.service.ts';
import { configuredKeyring } from '../../server/keyring.ts';
import { createLogger } from '../../server/logger.ts';
import { invalidateStorefront } from '../../server/storefront-api/invalidation.ts';
import { createRedis, waitUntilReady } from '../../server/redis.ts';

/** Times a store is run again after its API budget ran out, before it is reported as failed. */
const BUDGET_RETRIES = 5;

type Database = Awaited<ReturnType<typeof openDatabase>>;
type Registration = Parameters<typeof runReconcile>[2];

/** Reconciles one store and re-checks selling for the items it touched; the lines to print. */
async function reconcileOne(gateway: BigCommerceGateway, database: Database, storeHash: string, registration: Registration): Promise<string> {
  const connection = await gateway.connect(storeHash);
  // The selling checks its repairs and orders call for are run here, in process, after the run.
  const toCheck = new Set<number>();
  const toWrite = new Set<number>();
  const effects: StockEffects = {
    changed: async (_store, itemIds) => void [...itemIds].forEach((id) => toCheck.add(id)),
    check: async (_store, itemIds) => void [...itemIds].forEach((id) => toCheck.add(id)),
    writeLevels: async (_store, itemIds) => void [...itemIds].forEach((id) => toWrite.add(id)),
  };
  const { report, fixes } = await runReconcile({ db: database.db, effects }, connection, registration);
  // The store's plan as BigCommerce's Unified Billing reports the subscription.
  if (gateway.billing) {
    const plan = await syncSubscription({ db: database.db, billing: gateway.billing }, storeHash);
    if (plan.from !== plan.to) fixes.push(`plan ${plan.from} → ${plan.to}, as BigCommerce reports the subscription`);
  }
  const lock = keyedLock(database);
  for (const itemId of new Set([...toCheck, ...itemsToCheck(report)]))
    await convergeSelling({ lock, connection }, storeHash, itemId, () => sellingStoppedMessage(database.db, storeHash));
  // Strict items whose level a repair moved: their level in BigCommerce follows, here too.
  await writeStrictLevels(database.db, connection, storeHash, [...toWrite]);
  // Notes owed (their jobs lost or given up): written here, in process, as the selling checks.
  for (const orderId of report.notesOwed) await writeOrderNote({ db: database.db, lock, connection }, storeHash, orderId);
  return fixes.length === 0 ? `${storeHash}: nothing to fix` : `${storeHash}:\n${fixes.map((f) => `  - ${f}`).join('\n')}`;
}

/** A store named on the command line that the database does not hold: mistyped, most likely. */
export class UnknownStoreError extends Error {
  constructor(storeHash: string) {
    super(`no store "${storeHash}" in this database`);
    this.name = 'UnknownStoreError';
  }
}

/** Where the command's lines go, and what it tells as each store is done (a progress bar). */
export interface ReconcileOutput {
  print(line: string): void;
  error(line: string): void;
  storeDone?(done: number, total: number): void;
}

/**
 * Reconciles every installed store (or the one named) and prints what it fixed; returns how many stores
 * it ran and how many of them failed. The body of `npm run reconcile` and of `npm run cli -- reconcile`.
 * A store named that the database does not hold is refused (UnknownStoreError) before anything runs.
 */
export async function reconcileStores(only: string | undefined, out: ReconcileOutput): Promise<{ stores: number; failed: number }> {
  const { config } = await withDevelopmentSecrets(loadConfig());
  if (!config.encryptionKey) throw new ConfigError(['ENCRYPTION_KEY: required to read stores’ tokens']);
  const appUrl = config.appUrl ?? (config.mode === 'production' ? undefined : `http://localhost:${config.port}`);
  if (!appUrl) throw new ConfigError(['APP_URL: required to register webhooks and scripts at the right address']);
  const database = await openDatabase(configuredDatabase(config)).catch((error: unknown) => {
    throw new Error(`The database could not be opened (${(error as Error).message}). With the embedded database, stop npm start first.`);
  });
  const redis = config.redisUrl ? createRedis(config.redisUrl, 'producer') : undefined;
  try {
    await schemaForCommand(database.db, config.migrateOnStart);
    // A mistyped hash must not pass for a store reconciled (one installed elsewhere, or not at all).
    if (only && !(await findStore(database.db, only))) throw new UnknownStoreError(only);
    if (redis && config.redisUrl) await waitUntilReady(redis, config.redisUrl);
    const keyring = configuredKeyring(config);
    const gateway = createBigCommerceGateway({
      config: { ...config, appUrl },
      ...(redis ? { redis } : {}),
      logger: createLogger({ level: 'warn' }),
      accessTokenFor: (storeHash) => accessTokenFor(database.db, keyring, storeHash),
    });
    const bundle = await readStorefrontBundle(STOREFRONT_DIST_DIR);
    const stores = only ? [only] : await activeStores(database.db);
    const registration = {
      appUrl,
      encryptionKey: config.encryptionKey,
      previousEncryptionKey: config.previousEncryptionKey,
      bundle,
      // The workers may be registering too (an install, their own reconcile): the scripts take turns with theirs.
      lock: keyedLock(database),
    };
    let failed = 0;
    for (const storeHash of stores) {
      for (let attempt = 0; ; attempt++) {
        try {
          out.print(await reconcileOne(gateway, database, storeHash, registration));
          if (redis) await invalidateStorefront(redis, config.queuePrefix, storeHash);
        } catch (error) {
          if (error instanceof StoreNotConnectedError) {
            out.print(`${storeHash}: not installed — skipped`);
          } else if (error instanceof RateLimitedError && attempt < BUDGET_RETRIES) {
            const seconds = Math.ceil((error.retryAfterMs ?? 30_000) / 1000);
            out.print(`${storeHash}: the store's BigCommerce API budget is spent; running it again in ${seconds} s`);
            await sleep(seconds * 1000);
            continue;
          } else {
            failed++;
            out.error(`${storeHash}: failed — ${(error as Error).message}`);
          }
        }
        break;
      }
      out.storeDone?.(stores.indexOf(storeHash) + 1, stores.length);
    }
    if (failed > 0)
      out.error(`${failed} store${failed === 1 ? '' : 's'} failed; fix the cause and run reconcile again (keep ENCRYPTION_KEY_PREVIOUS set until none fails)`);
    return { stores: stores.length, failed };
  } finally {
    redis?.disconnect();
    await database.close();
  }
}
