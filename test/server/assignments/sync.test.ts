/** The Assigned Products tab's Sync: levels changed in BigCommerce become stock movements, with progress to the end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../server/bigcommerce/index.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'sync1';

const blank = (id: number) => ({
  [`p${id}.currentStock`]: '',
  [`p${id}.backorderThreshold`]: '',
  [`p${id}.incomingStock`]: '',
  [`p${id}.backInStockDate`]: '',
});
const item = (productId: number) =>
  app.database.db.selectFrom('inventory_items').selectAll().where('store_hash', '=', STORE).where('product_id', '=', productId).executeTakeFirstOrThrow();

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, {
    products: [
      bcProduct({ id: 801, name: 'Kettle', sku: 'KETTLE', inventory_level: 5 }),
      bcProduct({ id: 802, name: 'Toaster', sku: 'TOASTER', inventory_level: 3 }),
    ],
  });
  admin = adminClient(app.url, await installed(app, fake, STORE));
  await changePlan(app.database.db, STORE, 'starter');
  expect((await admin.post('/admin/products/bulk-assign', { ids: '801,802', ...blank(801), ...blank(802) })).status).toBe(303);
  await finishedJob(app.database.db, STORE, 'assign');
});
afterAll(async () => {
  await app?.stop();
});

describe('Sync', () => {
  it('when a level changed in BigCommerce, then Sync records a sync movement, the new stock, and progress to the end', async () => {
    expect(await item(801)).toMatchObject({ current_stock: 5, bigcommerce_level: 5 });
    fake.stores.get(STORE)!.products.find((p) => p.id === 801)!.inventory_level = 9;
    const posted = await admin.post('/admin/products/sync', {}, '/admin/products/assigned');
    expect(posted.status).toBe(303);
    const job = await finishedJob(app.database.db, STORE, 'sync');
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    expect(job.progress_total).toBeGreaterThan(0);
    expect(job.progress_done).toBe(job.progress_total);
    expect(job.message).toMatch(/1 assigned item had a new level in BigCommerce/);
    expect(await item(801)).toMatchObject({ current_stock: 9, bigcommerce_level: 9 });
    expect(await item(802)).toMatchObject({ current_stock: 3 });
    const movements = await app.database.db
      .selectFrom('stock_movements')
      .select(['item_id', 'delta', 'reason'])
      .where('store_hash', '=', STORE)
      .where('reason', '=', 'sync')
      .execute();
    expect(movements).toEqual([{ item_id: (await item(801)).id, delta: 4, reason: 'sync' }]);
  });
});

describe('Sync while the store’s API budget runs out', () => {
  const paced = fakeBigCommerce();
  let pacedApp: TestApp | undefined;
  afterAll(() => pacedApp?.stop());

  /** What the gateway throws when the budget is spent for longer than it waits (bigcommerce/gateway.ts). */
  const budgetSpent = (ms: number) => {
    const error = new RateLimitedError({ status: 429, title: 'the store’s API budget is spent', context: { method: 'GET', path: '/v3/catalog/products' } });
    error.retryAfterMs = ms;
    return error;
  };

  it('when the budget is spent half-way through, then the run waits for the reset instead of failing, and goes on after the last product it saved', async () => {
    pacedApp = await startTestApp({ gateway: paced.factory(1) });
    paced.addStore('sync2', { products: [901, 902, 903].map((id) => bcProduct({ id, name: `Lamp ${id}`, sku: `LAMP-${id}` })) });
    const pacedAdmin = adminClient(pacedApp.url, await installed(pacedApp, paced, 'sync2'));
    let spent = true;
    paced.holdProductPages(async (index) => {
      if (index === 1 && spent) {
        spent = false;
        throw budgetSpent(300);
      }
    });
    const readsBefore = paced.calls.catalogReads.length;

    expect((await pacedAdmin.post('/admin/products/sync', {}, '/admin/products/assigned')).status).toBe(303);
    const job = await finishedJob(pacedApp.database.db, 'sync2', 'sync');

    expect(job).toMatchObject({ status: 'succeeded', error: null, attempts: 2 });
    expect(job.message).toMatch(/^Synced: 3 products/);
    // The first run read product 901 and met the spent budget; the second began after it.
    expect(paced.calls.catalogReads.slice(readsBefore)).toEqual([
      { storeHash: 'sync2', afterId: undefined },
      { storeHash: 'sync2', afterId: 901 },
    ]);
    const mirrored = await pacedApp.database.db
      .selectFrom('catalog_products')
      .select('product_id')
      .where('store_hash', '=', 'sync2')
      .orderBy('product_id')
      .execute();
    expect(mirrored.map((p) => p.product_id)).toEqual([901, 902, 903]);
  });
});
