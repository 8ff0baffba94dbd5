/**
 * sandbox.generate_100k_s: building 100,000 products with 3 variants each in memory.
 * sandbox.read_100k_s: reading them all back over HTTP, 250 a page with variants (400 requests), one at a time.
 */
import { startSandbox } from '../sandbox/index.ts';
import { round, type Benchmark } from './lib.ts';

const benchmark: Benchmark = {
  name: 'sandbox',
  timeoutMs: 5 * 60_000,
  async run({ figure }) {
    const sandbox = await startSandbox({ clientId: 'bench', clientSecret: 'bench-secret', seed: 'empty', rateLimit: { quota: 0, windowMs: 30_000 } });
    try {
      const { storeHash } = await sandbox.createStore();
      const token = await sandbox.issueAccessToken(storeHash);
      const generatedAt = performance.now();
      sandbox.store(storeHash).generateCatalog({ products: 100_000, variantsPerProduct: 3 });
      figure('sandbox.generate_100k_s', round((performance.now() - generatedAt) / 1000, 2));

      const readAt = performance.now();
      let read = 0;
      for (let page = 1; ; page++) {
        const response = await fetch(`${sandbox.url}/stores/${storeHash}/v3/catalog/products?limit=250&include=variants&page=${page}`, {
          headers: { 'X-Auth-Token': token },
        });
        const body = (await response.json()) as { data: unknown[]; meta: { pagination: { total_pages: number } } };
        read += body.data.length;
        if (page >= body.meta.pagination.total_pages) break;
      }
      if (read !== 100_000) throw new Error(`read ${read} products, expected 100000`);
      figure('sandbox.read_100k_s', round((performance.now() - readAt) / 1000, 1));
    } finally {
      await sandbox.stop();
    }
  },
};

export default benchmark;
