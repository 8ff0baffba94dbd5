/**
 * Issue 4's whole flow in Chromium, with the real BigCommerce client against the sandbox store: the
 * sandbox installs the app as BigCommerce does (/auth with a one-time code), the admin opens and follows
 * the setup, the synced catalog shows, the control panel opens the app again (/load), and the store
 * uninstalls it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { finishedJob } from '../helpers/admin.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../helpers/config.ts';

let sandbox: Sandbox;
let app: TestApp;
let browser: Browser;
let storeHash: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
  });
  ({ storeHash } = await sandbox.createStore({ name: 'Sandbox e2e store' }));
  // No fake anywhere: the production gateway (createBigCommerceGateway) and the built storefront bundles.
  [app, browser] = await Promise.all([startTestApp({ config: { bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url } } }), launchBrowser()]);
  sandbox.setAppUrl(app.url);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sandbox?.stop();
});

describe('installing from the sandbox store', () => {
  it('when the sandbox installs the app, then the admin opens, follows the setup, shows the catalog, reopens from the control panel, and uninstall ends it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      const { url } = await sandbox.install(storeHash);
      await page.goto(url);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Products');

      const job = await finishedJob(app.database.db, storeHash, 'install', 60_000);
      expect(job).toMatchObject({ status: 'succeeded', error: null });
      const products = sandbox.store(storeHash).productCount();
      expect(products).toBeGreaterThan(0);
      await expect.poll(() => page.locator('[data-job-done]').isVisible(), { timeout: 10_000 }).toBe(true);
      await page.getByRole('link', { name: 'Show the results' }).click();
      expect(await page.getByText(new RegExp(`of ${products} products\\.`)).count()).toBe(1);
      expect(await page.locator('.bo-store').textContent()).toBe('Store: Sandbox e2e store');
      // The store's profile came from /v2/store; its webhooks and scripts were registered.
      expect(sandbox.store(storeHash).hooks().length).toBeGreaterThan(0);
      expect(
        sandbox
          .store(storeHash)
          .scripts()
          .map((s) => s.name),
      ).toEqual(expect.arrayContaining(['BackOrder storefront', 'BackOrder checkout', 'BackOrder order confirmation']));

      await page.goto(sandbox.loadUrl(storeHash));
      await page.waitForURL(/\/admin\/products\?session=/);
      expect(await page.getByRole('rowheader').count()).toBe(Math.min(products, 50));

      const uninstalled = await sandbox.uninstall(storeHash);
      expect(uninstalled.status).toBe(200);
      await page.reload();
      expect(await page.getByText('BackOrder is no longer installed in this store').count()).toBe(1);
      const store = await app.database.db
        .selectFrom('stores')
        .select(['status', 'access_token_ciphertext'])
        .where('store_hash', '=', storeHash)
        .executeTakeFirstOrThrow();
      expect(store).toEqual({ status: 'uninstalled', access_token_ciphertext: null });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
