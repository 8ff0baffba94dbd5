/**
 * The storefront API as shoppers' pages use it, with the app installed in a sandbox store (scripts
 * registered by the install job) and two products on backorder.
 * - storefront.requests_per_product_page: requests to the app's storefront API per product page load in
 *   Chromium (a new shopper each time: no HTTP cache), counted through playwright's request events; goal 1.
 * - storefront.api.ratio_to_bare: availability answers per second (cached answers, the hot path, over the
 *   product lists of a shop's pages) ÷ a bare Express JSON handler's on the same paths — same process,
 *   same load tool (bench/load.mjs, its own process, closed loop); goal ≥ 0.7.
 * - storefront.api.p99_ms: the 99th percentile latency at 1,000 requests a second, paced (open loop).
 */
import express from 'express';
import type { Browser } from 'playwright-core';
import { createLogger } from '../server/logger.ts';
import { start, type Running } from '../server/main.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { invalidateStorefront } from '../server/storefront-api/invalidation.ts';
import { availabilityPath } from '../storefront/src/contract/storefront-api.ts';
import { finishedJob } from '../test/helpers/admin.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { testConfig, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../test/helpers/config.ts';
import { listen } from '../test/helpers/http.ts';
import { assignProduct } from '../test/helpers/inventory.ts';
import { freshDatabaseUrl, loadRate, pacedLoad } from './helpers.ts';
import { round, type Benchmark } from './lib.ts';

/** Seeded demo products (sandbox/seed.ts): Orbit Terrarium Large and Small. */
export const ASSIGNED = [
  { productId: 100, sku: 'ORBIT-L', currentStock: 3, backorderThreshold: 5 },
  { productId: 101, sku: 'ORBIT-S', currentStock: 0, backorderThreshold: 10 },
];
const PRODUCT_PAGE = '/orbit-terrarium-small/';
const PAGE_LOADS = 5;

interface Shop {
  sandbox: Sandbox;
  app: Running;
  storeHash: string;
  stop(): Promise<void>;
}

async function openShop(services: { databaseUrl: string; redisUrl: string }): Promise<Shop> {
  const sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
  });
  let app: Running | undefined;
  try {
    const { storeHash } = await sandbox.createStore({ name: 'Bench shop', seed: 'demo' });
    const config = testConfig({
      databaseUrl: await freshDatabaseUrl(services.databaseUrl),
      redisUrl: services.redisUrl,
      bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url },
      logLevel: 'silent',
      // The load generator is one client address: the per-client budget would measure itself.
      storefrontApiPerMinute: 1_000_000_000,
    });
    app = await start({ config, logger: createLogger({ level: 'silent' }) });
    sandbox.setAppUrl(app.url);
    await sandbox.install(storeHash, { call: true });
    if ((await finishedJob(app.database.db, storeHash, 'install', 120_000)).status !== 'succeeded') throw new Error('the install failed');
    const store = sandbox.store(storeHash);
    for (const { productId, ...item } of ASSIGNED) {
      await assignProduct(app.database.db, storeHash, item, { productId });
      store.setInventoryTracking(productId, 'none');
    }
    await invalidateStorefront(app.redis, config.queuePrefix, storeHash);
    const running = app;
    return {
      sandbox,
      app: running,
      storeHash,
      async stop() {
        await running.stop();
        await sandbox.stop();
      },
    };
  } catch (error) {
    await app?.stop();
    await sandbox.stop();
    throw error;
  }
}

/** Storefront API requests per product page load, over several loads by new shoppers. */
async function requestsPerProductPage(shop: Shop, browser: Browser): Promise<number> {
  const api = `${shop.app.url}/storefront-api/`;
  let requests = 0;
  for (let load = 0; load < PAGE_LOADS; load++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('request', (request) => request.url().startsWith(api) && requests++);
    await page.goto(`${shop.sandbox.storefrontUrl(shop.storeHash)}${PRODUCT_PAGE}`);
    // The product entry has placed its components, and nothing more is on its way.
    await page.waitForSelector('.productView[data-bo-view] bo-inventory-description', { state: 'attached', timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await context.close();
  }
  return requests / PAGE_LOADS;
}

/** The product lists a shop's pages ask about: each product page, and the listings' cards. */
export function pagePaths(storeHash: string): string[] {
  const path = availabilityPath(storeHash);
  const lists = [
    ...Array.from({ length: 36 }, (_, i) => [100 + i]),
    Array.from({ length: 12 }, (_, i) => 100 + i),
    Array.from({ length: 12 }, (_, i) => 112 + i),
  ];
  return lists.map((ids) => `${path}?products=${ids.join(',')}`);
}

async function warm(base: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    const response = await fetch(`${base}${path}`);
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  }
}

const benchmark: Benchmark = {
  name: 'storefront',
  timeoutMs: 5 * 60_000,
  async run({ figure, services }) {
    const shop = await openShop(await services());
    const browser = await launchBrowser();
    try {
      figure('storefront.requests_per_product_page', round(await requestsPerProductPage(shop, browser), 2));
    } finally {
      await browser.close();
    }

    const paths = pagePaths(shop.storeHash);
    const sample = JSON.parse(await (await fetch(`${shop.app.url}${paths[0]}`)).text()) as unknown;
    const bare = express();
    bare.get('/storefront-api/v1/stores/:storeHash/availability', (_req, res) => void res.json(sample));
    const bareServer = await listen(bare);
    try {
      await warm(shop.app.url, paths);
      const appUrl = `${shop.app.url}${paths.join('|')}`;
      const bareUrl = `${bareServer.url}${paths.join('|')}`;
      await loadRate(appUrl, '', {}, 2, 32, 'GET');
      await loadRate(bareUrl, '', {}, 2, 32, 'GET');
      // Alternated, so a burst of load from elsewhere on the machine weighs on both alike.
      let appTotal = 0;
      let bareTotal = 0;
      for (let i = 0; i < 2; i++) {
        appTotal += await loadRate(appUrl, '', {}, 5, 32, 'GET');
        bareTotal += await loadRate(bareUrl, '', {}, 5, 32, 'GET');
      }
      figure('storefront.api.ratio_to_bare', round(appTotal / bareTotal, 2));

      const paced = await pacedLoad(appUrl, 1_000, 10);
      figure('storefront.api.p99_ms', round(paced.p99, 1));
    } finally {
      await bareServer.close();
      await shop.stop();
    }
  },
};

export default benchmark;
