/**
 * `npm run reconcile [-- --store HASH]`: proves every installed store's stock against its ledger, re-reads
 * orders changed since the last run, re-registers webhooks and scripts (with the secret of the current
 * ENCRYPTION_KEY), re-encrypts an access token written under an older key, and prints what it fixed.
 * Selling is re-checked at once for the items it touched. A store that fails is named and the others
 * still run; the exit code says whether all succeeded. Uses DATABASE_URL, or the embedded database when
 * `npm start` is not running (PGlite opens in one process at a time).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryRateLimitState, createBigCommerceClient } from '../server/bigcommerce/index.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { withDevelopmentSecrets } from '../server/dev-secrets.ts';
import { openDatabase } from '../server/db/database.ts';
import { keyedLock } from '../server/db/keyed-lock.ts';
import type { StockEffects } from '../server/inventory/stock-effects.ts';
import { migrate } from '../server/db/migrate.ts';
import { activeStores } from '../server/reconcile/reconcile.jobs.ts';
import { itemsToCheck, runReconcile } from '../server/reconcile/reconcile.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../server/registration/storefront-bundle.ts';
import { purchasingGateway } from '../server/selling/purchasing-gateway.ts';
import { convergeSelling } from '../server/selling/selling.service.ts';
import { getSettings } from '../server/settings/settings.service.ts';
import { findStore } from '../server/stores/stores.repo.ts';
import { decryptToken } from '../server/stores/token-cipher.ts';
import { configuredKeyring } from '../server/keyring.ts';
import { invalidateStorefront } from '../server/storefront-api/invalidation.ts';
import { createRedis, waitUntilReady } from '../server/redis.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { store: { type: 'string' } } });
  const { config } = await withDevelopmentSecrets(loadConfig());
  if (!config.encryptionKey) throw new ConfigError(['ENCRYPTION_KEY: required to read stores’ tokens']);
  const appUrl = config.appUrl ?? (config.mode === 'production' ? undefined : `http://localhost:${config.port}`);
  if (!appUrl) throw new ConfigError(['APP_URL: required to register webhooks and scripts at the right address']);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') }).catch((error: unknown) => {
    throw new Error(`The database could not be opened (${(error as Error).message}). With the embedded database, stop npm start first.`);
  });
  const redis = config.redisUrl ? createRedis(config.redisUrl, 'producer') : undefined;
  try {
    await migrate(database.db);
    if (redis && config.redisUrl) await waitUntilReady(redis, config.redisUrl);
    const bundle = await readStorefrontBundle(STOREFRONT_DIST_DIR);
    const stores = values.store ? [values.store] : await activeStores(database.db);
    const lock = keyedLock(database);
    const keyring = configuredKeyring(config);
    const registration = { appUrl, encryptionKey: config.encryptionKey, previousEncryptionKey: config.previousEncryptionKey, bundle };
    let failed = 0;
    for (const storeHash of stores) {
      const store = await findStore(database.db, storeHash);
      if (!store?.access_token_ciphertext || store.status !== 'active') {
        console.log(`${storeHash}: not installed — skipped`);
        continue;
      }
      try {
        const client = createBigCommerceClient({
          storeHash,
          accessToken: decryptToken(keyring, storeHash, store.access_token_ciphertext),
          apiUrl: config.bigcommerce.apiUrl,
          rateLimitState: new MemoryRateLimitState(),
        });
        // The selling checks its repairs and orders call for are run here, in process, after the run.
        const toCheck = new Set<number>();
        const effects: StockEffects = {
          changed: async (_store, itemIds) => void [...itemIds].forEach((id) => toCheck.add(id)),
          check: async (_store, itemIds) => void [...itemIds].forEach((id) => toCheck.add(id)),
        };
        const { report, fixes } = await runReconcile({ db: database.db, effects }, client, registration);
        const message = (await getSettings(database.db, storeHash)).inventory.sellingStoppedMessage;
        for (const itemId of new Set([...toCheck, ...itemsToCheck(report)])) {
          await convergeSelling({ lock, gateway: purchasingGateway(client) }, storeHash, itemId, message);
        }
        if (redis) await invalidateStorefront(redis, config.queuePrefix, storeHash);
        console.log(fixes.length === 0 ? `${storeHash}: nothing to fix` : `${storeHash}:\n${fixes.map((f) => `  - ${f}`).join('\n')}`);
      } catch (error) {
        failed++;
        console.error(`${storeHash}: failed — ${(error as Error).message}`);
      }
    }
    if (failed > 0) console.error(`${failed} store${failed === 1 ? '' : 's'} failed; fix the cause and run reconcile again (keep ENCRYPTION_KEY_PREVIOUS set until none fails)`);
    return failed > 0 ? 1 : 0;
  } finally {
    redis?.disconnect();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    process.exit(1);
  },
);
