/**
 * The storefront's cached answers follow every change a shopper could see, not only stock: the merchant's
 * settings saved in the admin, a catalog sync and the Sync button, releasing every product, and uninstalling — each answers anew at once
 * instead of when the cache (30 s in the process, 5 minutes in Redis) expires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAppUninstalled } from '../../../server/app-lifecycle/app-uninstalled.handler.ts';
import { stockEffects } from '../../../server/wiring.ts';
import type { AvailabilityAnswer } from '../../../storefront/src/contract/storefront-api.ts';
import { csrfIn, finishedJob, install, postForm } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let session: string;
let productId: number;
const STORE = 'sfinval1';

async function answer(): Promise<AvailabilityAnswer> {
  const response = await fetch(`${app.url}/storefront-api/v1/stores/${STORE}/availability?products=${productId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as AvailabilityAnswer;
}

/** The admin's Settings form as the merchant submits it, with these storefront fields. */
async function saveStorefrontSettings(fields: Record<string, string>): Promise<void> {
  const html = await (await fetch(`${app.url}/admin/settings?session=${session}`, { headers: { Accept: 'text/html' } })).text();
  const response = await postForm(`${app.url}/admin/settings`, {
    session,
    _csrf: csrfIn(html),
    'inventory.defaultBackorderThreshold': '0',
    'orderNote.enabled': 'on',
    'orderNote.target': 'staff_notes',
    'orderNote.message': 'Some items ship later:',
    ...fields,
  });
  expect(response.status).toBe(303);
}

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory(50) });
  fake.addStore(STORE, { products: [bcProduct({ name: 'Kettle', sku: 'KET' })] });
  productId = fake.stores.get(STORE)!.products[0]!.id;
  session = (await install(app.url, fake, STORE)).session;
  await finishedJob(app.database.db, STORE, 'install');
  await assignProduct(app.database.db, STORE, { currentStock: 0, backorderThreshold: 4 }, { productId });
  // Whatever the install left cached, the assignment is news.
  await stockEffects({ sellingQueue: app.queues.selling, levelsQueue: app.queues.levels, redis: app.redis, prefix: app.config.queuePrefix }).changed(STORE, []);
});
afterAll(async () => {
  await app?.stop();
});

describe('storefront answers after changes other than stock', () => {
  it('when the merchant saves a new theme in the admin Settings page, then the next answer carries it', async () => {
    expect((await answer()).settings?.themeProfile).toBe('cornerstone');
    await saveStorefrontSettings({ 'storefront.enabled': 'on', 'storefront.themeProfile': 'halothemes' });
    // Every web process hears of it through Redis within moments.
    await expect.poll(async () => (await answer()).settings?.themeProfile, { timeout: 5_000 }).toBe('halothemes');
  });

  it('when the merchant switches storefront messages off in the admin, then the next answer is empty', async () => {
    // The box unticked: the form posts only its hidden "off".
    await saveStorefrontSettings({ 'storefront.enabled': 'off', 'storefront.themeProfile': 'halothemes' });
    await expect.poll(answer, { timeout: 5_000 }).toEqual({ v: 1, settings: null, numbers: 'withheld', products: {} });
    await saveStorefrontSettings({ 'storefront.enabled': 'on', 'storefront.themeProfile': 'cornerstone' });
    await expect.poll(async () => (await answer()).products[String(productId)]?.item?.status, { timeout: 5_000 }).toBe('backorder');
  });

  it('when a catalog sync, then the Sync button, read the product made unavailable and available again, then the next answer follows each', async () => {
    const product = fake.stores.get(STORE)!.products[0]!;
    // The level BigCommerce has is the item's: the Sync moves no stock, whose change would drop the answers anyway.
    product.inventory_level = product.variants![0]!.inventory_level = 0;
    const html = await (await fetch(`${app.url}/admin/settings?session=${session}`, { headers: { Accept: 'text/html' } })).text();
    expect(Object.keys((await answer()).products)).toEqual([String(productId)]);
    product.availability = 'disabled';
    await postForm(`${app.url}/admin/catalog/sync`, { session, _csrf: csrfIn(html) });
    expect((await finishedJob(app.database.db, STORE, 'catalog-sync')).status).toBe('succeeded');
    await expect.poll(async () => (await answer()).products, { timeout: 5_000 }).toEqual({});

    product.availability = 'available';
    await postForm(`${app.url}/admin/products/sync`, { session, _csrf: csrfIn(html) });
    expect((await finishedJob(app.database.db, STORE, 'sync')).status).toBe('succeeded');
    await expect.poll(async () => Object.keys((await answer()).products), { timeout: 5_000 }).toEqual([String(productId)]);
  });

  it('when every product is released, then the next answer no longer lists them', async () => {
    const html = await (await fetch(`${app.url}/admin/settings?session=${session}`, { headers: { Accept: 'text/html' } })).text();
    await postForm(`${app.url}/admin/assignments/release-all`, { session, _csrf: csrfIn(html) });
    expect((await finishedJob(app.database.db, STORE, 'release-all')).status).toBe('succeeded');
    await expect.poll(async () => (await answer()).products, { timeout: 5_000 }).toEqual({});
  });

  it('when the store uninstalls the app, then the next answer is empty', async () => {
    await assignProduct(app.database.db, STORE, { currentStock: 0, backorderThreshold: 4 }, { productId });
    const effects = stockEffects({ sellingQueue: app.queues.selling, levelsQueue: app.queues.levels, redis: app.redis, prefix: app.config.queuePrefix });
    await effects.changed(STORE, []);
    await expect.poll(async () => (await answer()).products, { timeout: 5_000 }).not.toEqual({});
    expect(
      await handleAppUninstalled(
        { db: app.database.db, config: app.config, logger: app.logger, effects, gateway: app.gateway, uninstallJobs: app.queues.reconcile },
        { storeHash: STORE },
      ),
    ).toBe(true);
    await expect.poll(async () => (await answer()).settings, { timeout: 5_000 }).toBeNull();
  });
});
