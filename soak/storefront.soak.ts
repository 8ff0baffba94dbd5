/**
 * The storefront API under a minute of shoppers' load: 2,000 requests a second for 60 s, open loop
 * (bench/load.mjs --paced: requests leave on schedule whatever the answers do; latency counted from when
 * each was due), over the product lists a shop's pages ask about, against `npm start` in its own process
 * with the app installed in a sandbox store and two products on backorder.
 * - soak.storefront.offered_per_s / answered_per_s: requests sent, and answered with success, per second
 * - soak.storefront.errors: answers that were not a success, and connections that failed
 * - soak.storefront.p50_ms / p99_ms
 * - soak.storefront.rss_start_mb / rss_half_mb / rss_end_mb: the app process's resident memory before,
 *   half-way through and after the load
 */
import { freshDatabaseUrl, pacedLoad, sandboxProcess, assignOverControl } from '../bench/helpers.ts';
import { round, type Benchmark } from '../bench/lib.ts';
import { ASSIGNED, pagePaths } from '../bench/storefront.bench.ts';
import { openDatabase } from '../server/db/database.ts';
import { appEnvironment, installStore, rssAfter, rssMb, startAppProcess, stopProcess } from './harness.ts';

const RATE = 2_000;
const SECONDS = 60;

const soak: Benchmark = {
  name: 'storefront soak',
  timeoutMs: 150_000,
  async run({ figure, services }) {
    const shared = await services();
    const sandbox = await sandboxProcess();
    const databaseUrl = await freshDatabaseUrl(shared.databaseUrl);
    const { env, url, removeDataDir } = await appEnvironment({ databaseUrl, redisUrl: shared.redisUrl }, sandbox.url);
    const database = await openDatabase({ databaseUrl, poolSize: 2 });
    const app = await startAppProcess('start', env, url);
    try {
      const storeHash = await installStore(database.db, sandbox.url, url, 'Soak shop');
      for (const item of ASSIGNED) {
        await assignOverControl(database.db, sandbox.url, storeHash, item.productId, { stock: item.currentStock, threshold: item.backorderThreshold });
      }
      const paths = pagePaths(storeHash);
      for (const path of paths) {
        const response = await fetch(`${url}${path}`);
        if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      }

      figure('soak.storefront.rss_start_mb', rssMb(app.child.pid!));
      const [result, halfway] = await Promise.all([
        pacedLoad(`${url}${paths.join('|')}`, RATE, SECONDS, {}, { allowFailures: true }),
        rssAfter(app.child.pid!, SECONDS * 500),
      ]);
      figure('soak.storefront.offered_per_s', round(result.offered, 0));
      figure('soak.storefront.answered_per_s', round(result.rate, 0));
      figure('soak.storefront.errors', result.failed);
      figure('soak.storefront.p50_ms', round(result.p50, 1));
      figure('soak.storefront.p99_ms', round(result.p99, 1));
      figure('soak.storefront.rss_half_mb', halfway);
      figure('soak.storefront.rss_end_mb', rssMb(app.child.pid!));
    } finally {
      await stopProcess(app);
      await database.close();
      await sandbox.stop();
      await removeDataDir();
    }
  },
};

export default soak;
