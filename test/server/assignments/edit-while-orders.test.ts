/**
 * Issue 11, point 0: a form changes only what the merchant changed, relative to what the page showed, so an
 * order that arrives while Edit (or Bulk Edit) is open is never undone; a value someone else changed
 * meanwhile refuses the save with both values, and keeps what the merchant typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, install } from '../../helpers/admin.ts';
import { adminClient, itemFormFields, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { orderFor, stockOf, stockDeps } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'editopen1';
const PRODUCTS = [401, 402, 403, 404, 405, 406, 407];
const blank = (id: number) => ({
  [`p${id}.currentStock`]: '',
  [`p${id}.backorderThreshold`]: '',
  [`p${id}.incomingStock`]: '',
  [`p${id}.backInStockDate`]: '',
});
const itemOf = (productId: number) =>
  app.database.db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', STORE)
    .where('product_id', '=', productId)
    .where('retired_at', 'is', null)
    .executeTakeFirstOrThrow();
const flashOf = (html: string) => /<p class="bo-flash bo-flash--success" role="status">([^<]*)<\/p>/.exec(html)?.[1];

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: PRODUCTS.map((id) => bcProduct({ id, name: `Jar ${id}`, sku: `JAR-${id}`, inventory_level: 8 })) });
  admin = adminClient(app.url, (await install(app.url, fake, STORE)).session);
  await finishedJob(app.database.db, STORE, 'install');
  await changePlan(app.database.db, STORE, 'starter');
  const fields = Object.assign({ ids: PRODUCTS.join(',') }, ...PRODUCTS.map(blank));
  expect((await admin.post('/admin/products/bulk-assign', fields)).status).toBe(303);
  await finishedJob(app.database.db, STORE, 'assign');
});
afterAll(async () => {
  await app?.stop();
});

/** An order for `quantity` units of the product, as its webhook would converge it. */
async function orderArrives(productId: number, quantity: number) {
  await convergeOrder(stockDeps(app.database.db), STORE, orderFor(await itemOf(productId), quantity));
}

describe('an order that arrives while the edit page is open', () => {
  it('when the merchant changes only the threshold, then the order keeps its units: stock stays 6, not 8', async () => {
    const form = await admin.formOf('/admin/products/401/edit');
    expect(form['p401.currentStock']).toBe('8');
    await orderArrives(401, 2);
    expect((await admin.get('/admin/products/assigned')).html).toMatch(/Jar 401[\s\S]*?<td class="bo-num">6<\/td>/);

    const saved = await admin.post('/admin/products/401/edit', { ...form, 'p401.backorderThreshold': '3' });
    expect(saved.status).toBe(303);
    expect(await itemOf(401)).toMatchObject({ current_stock: 6, backorder_threshold: 3 });
    const movements = await app.database.db
      .selectFrom('stock_movements')
      .select(['delta', 'reason'])
      .where('item_id', '=', (await itemOf(401)).id)
      .execute();
    expect(movements).toEqual([{ delta: -2, reason: 'order' }]);
  });

  it('when the merchant changes the stock from 8 to 10, then the change applies to the order’s: stock is 8, and the flash says why', async () => {
    const form = await admin.formOf('/admin/products/402/edit');
    await orderArrives(402, 2);

    const saved = await admin.post('/admin/products/402/edit', { ...form, 'p402.currentStock': '10' });
    expect(saved.status).toBe(303);
    expect((await itemOf(402)).current_stock).toBe(8);
    const list = await admin.get('/admin/products/assigned');
    expect(flashOf(list.html)).toBe(
      'Jar 402 saved. Orders changed the stock of Jar 402 while the page was open: your change was applied to theirs, so it is 8, not 10.',
    );
  });

  it('when another tab changed the threshold meanwhile, then nothing is saved, both values are named, the typed one is kept, and saving again applies it', async () => {
    const form = await admin.formOf('/admin/products/403/edit');
    const otherTab = await admin.formOf('/admin/products/403/edit');
    expect((await admin.post('/admin/products/403/edit', { ...otherTab, 'p403.backorderThreshold': '7' })).status).toBe(303);
    await orderArrives(403, 1);

    const refused = await admin.post('/admin/products/403/edit', { ...form, 'p403.currentStock': '9', 'p403.backorderThreshold': '4' });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/Nothing was saved: a value changed since you opened this page/);
    expect(refused.html).toContain(
      '<li id="p403-problem-0">Backorder threshold: changed since you opened this page: it showed 0, it is 7 now. Your 4 is kept below; save again to apply it',
    );
    expect(await itemOf(403)).toMatchObject({ current_stock: 7, backorder_threshold: 7 });

    const again = itemFormFields(refused.html);
    expect(again).toMatchObject({
      'p403.currentStock': '9',
      'p403.backorderThreshold': '4',
      'p403.shown.currentStock': '8',
      'p403.shown.backorderThreshold': '7',
    });
    expect((await admin.post('/admin/products/403/edit', again)).status).toBe(303);
    // The stock change (8 → 9) still applies to the order's unit: 7 + 1.
    expect(await itemOf(403)).toMatchObject({ current_stock: 8, backorder_threshold: 4 });
  });

  it('when the same form is posted twice (a double click, a page resubmitted), then its stock change applies once', async () => {
    const form = await admin.formOf('/admin/products/407/edit');
    const typed = { ...form, 'p407.currentStock': '11', 'p407.backorderThreshold': '2' };
    expect((await admin.post('/admin/products/407/edit', typed)).status).toBe(303);
    expect((await admin.post('/admin/products/407/edit', typed)).status).toBe(303);
    expect(await itemOf(407)).toMatchObject({ current_stock: 11, backorder_threshold: 2 });
    const movements = await app.database.db
      .selectFrom('stock_movements')
      .select(['delta', 'reason'])
      .where('item_id', '=', (await itemOf(407)).id)
      .execute();
    expect(movements).toEqual([{ delta: 3, reason: 'manual' }]);
  });

  it('when a page without the values it showed is posted (opened before an update), then nothing is saved and the merchant is asked to open it again', async () => {
    const refused = await admin.post('/admin/products/404/edit', {
      'p404.currentStock': '20',
      'p404.backorderThreshold': '0',
      'p404.incomingStock': '0',
      'p404.backInStockDate': '',
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toMatch(/<li>this page is out of date: open it again from Assigned Products/);
    expect((await itemOf(404)).current_stock).toBe(8);
  });
});

describe('an order that arrives while Bulk Edit is open', () => {
  it('when the merchant changes other fields, then every row keeps its orders, and a row whose stock was changed gets the change on top', async () => {
    const form = await admin.formOf('/admin/products/bulk-edit', { ids: ['405', '406'] });
    await orderArrives(405, 2);
    await orderArrives(406, 3);

    const saved = await admin.post('/admin/products/bulk-edit', { ...form, 'p405.incomingStock': '5', 'p406.currentStock': '12' });
    expect(saved.status).toBe(303);
    expect(await itemOf(405)).toMatchObject({ current_stock: 6, incoming_stock: 5 });
    expect((await stockOf(app.database.db, (await itemOf(406)).id)).currentStock).toBe(9);
  });
});
