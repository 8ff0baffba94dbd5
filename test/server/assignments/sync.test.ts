/** The Assigned Products tab's Sync: levels changed in BigCommerce become stock movements, with progress to the end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'sync1';

const blank = (id: number) => ({ [`p${id}.currentStock`]: '', [`p${id}.backorderThreshold`]: '', [`p${id}.incomingStock`]: '', [`p${id}.backInStockDate`]: '' });
const item = (productId: number) =>
  app.database.db.selectFrom('inventory_items').selectAll().where('store_hash', '=', STORE).where('product_id', '=', productId).executeTakeFirstOrThrow();

beforeAll(async () => {
  app = await startTestApp({ ports: fake.factory() });
  fake.addStore(STORE, { products: [bcProduct({ id: 801, name: 'Kettle', sku: 'KETTLE', inventory_level: 5 }), bcProduct({ id: 802, name: 'Toaster', sku: 'TOASTER', inventory_level: 3 })] });
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
    const movements = await app.database.db.selectFrom('stock_movements').select(['item_id', 'delta', 'reason']).where('store_hash', '=', STORE).where('reason', '=', 'sync').execute();
    expect(movements).toEqual([{ item_id: (await item(801)).id, delta: 4, reason: 'sync' }]);
  });
});
