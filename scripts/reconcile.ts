/**
 * `npm run reconcile [-- --store HASH]`: proves every installed store's stock against its ledger, re-reads
 * orders changed since the last run, re-registers webhooks and scripts (with the secret of the current
 * ENCRYPTION_KEY), re-encrypts an access token written under an older key, and prints what it fixed.
 * Selling is re-checked at once for the items it touched. A store that fails is named and the others
 * still run; the exit code says whether all succeeded. Uses DATABASE_URL, or the embedded database when
 * `npm start` is not running (PGlite opens in one process at a time).
 *
 * BigCommerce is reached through the gateway, as the app reaches it: with REDIS_URL set, the command draws
 * from the store's rate budget the running app shares. When that budget is spent beyond the gateway's
 * wait, the command says so, waits for the reset and runs the store again (reconcile converges).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../server/config.ts';
import { reconcileStores, UnknownStoreError } from './lib/reconcile-stores.ts';

const { values } = parseArgs({ options: { store: { type: 'string' } } });
reconcileStores(values.store, { print: (line) => console.log(line), error: (line) => console.error(line) }).then(
  ({ failed }) => process.exit(failed > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    // A store that does not exist is bad input, as in `npm run cli`.
    process.exit(error instanceof UnknownStoreError ? 2 : 1);
  },
);
