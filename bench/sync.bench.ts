/**
 * The first catalog sync of a large store: 100,000 products with 3 variants each, generated in the sandbox
 * store (in its own process) and read through the app's gateway into the catalog mirror.
 * - sync.100k.requests_ratio: requests made ÷ the fewest possible (products ÷ 250).
 * - sync.100k.seconds: from the first request to the last row written.
 */
import { createBigCommerceGateway } from '../server/bigcommerce/index.ts';
import { syncCatalog } from '../server/catalog/catalog-sync.service.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { createLogger } from '../server/logger.ts';
import { control, freshDatabaseUrl, sandboxProcess } from './helpers.ts';
import { round, type Benchmark } from './lib.ts';

const PRODUCTS = 100_000;
const progress = { setTotal: async () => {}, advance: async () => {}, say: async () => {} };

const benchmark: Benchmark = {
  name: 'sync',
  timeoutMs: 8 * 60_000,
  async run({ figure, services }) {
    const { databaseUrl } = await services();
    const sandbox = await sandboxProcess();
    const database = await openDatabase({ databaseUrl: await freshDatabaseUrl(databaseUrl) });
    try {
      await migrate(database.db);
      const { storeHash } = await control<{ storeHash: string }>(sandbox.url, 'POST', '/stores', { name: 'Large store', seed: 'empty' });
      await control(sandbox.url, 'POST', `/stores/${storeHash}/generate`, { products: PRODUCTS, variantsPerProduct: 3 });
      const { access_token: accessToken } = await control<{ access_token: string }>(sandbox.url, 'POST', `/stores/${storeHash}/tokens`, {});
      await database.db.insertInto('stores').values({ store_hash: storeHash, access_token_ciphertext: null }).execute();
      const { id: jobId } = await database.db
        .insertInto('jobs')
        .values({ store_hash: storeHash, kind: 'catalog-sync' })
        .returning('id')
        .executeTakeFirstOrThrow();

      let requests = 0;
      const counting: typeof fetch = (input, init) => {
        requests++;
        return fetch(input, init);
      };
      const gateway = createBigCommerceGateway({
        config: {
          clientId: undefined,
          clientSecret: undefined,
          bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url },
          queuePrefix: '{bench}',
          appUrl: '',
        },
        accessTokenFor: async () => accessToken,
        logger: createLogger({ level: 'silent' }),
        fetch: counting,
      });
      const started = performance.now();
      const summary = await syncCatalog(database.db, (await gateway.connect(storeHash)).catalog, storeHash, jobId, progress);
      const seconds = (performance.now() - started) / 1000;
      if (summary.products !== PRODUCTS) throw new Error(`synced ${summary.products} products, expected ${PRODUCTS}`);
      figure('sync.100k.requests_ratio', round(requests / (PRODUCTS / 250), 3));
      figure('sync.100k.seconds', round(seconds, 1));
    } finally {
      await database.close();
      await sandbox.stop();
    }
  },
};

export default benchmark;
