/**
 * The admin's stock warnings, on the products tab (the admin's home) and the report:
 * - units sold beyond the salable quantity, naming units and orders, with a link to the report filtered to
 *   the lines over the limit;
 * - stock below zero that no order owes (an unexplained shortfall), with a link to the Assigned list
 *   filtered to those items, each of which says what to do — in the list and in its edit dialog — until
 *   the merchant sets its stock to what is on the shelf.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { overLimitSummary } from '../../../server/reports/report.repo.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, orderFor, stockDeps } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'overcap1';

const warningOf = (html: string, kind = 'over-limit') =>
  new RegExp(`<p class="bo-flash bo-flash--warning" role="status" data-${kind}>([^<]*)<a href="([^"]*)">([^<]*)</a>`).exec(html);
const orderNumbers = (html: string) => [...html.matchAll(/<th scope="row">(?:<a [^>]*>)?#(\d+)/g)].map((m) => Number(m[1]));

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: [] });
  admin = adminClient(app.url, await installed(app, fake, STORE));
});
afterAll(async () => {
  await app?.stop();
});

describe('units over the limit', () => {
  it('when orders take units beyond the salable quantity, then the products tab and the report warn with the counts, and the filter lists only those lines', async () => {
    const db = app.database.db;
    const kettle = await assignProduct(db, STORE, { currentStock: 1, backorderThreshold: 1 }, { productId: 901 });
    const within = orderFor(kettle, 2, { id: 5001 });
    const beyond = orderFor(kettle, 3, { id: 5002 });
    const alsoBeyond = orderFor(kettle, 1, { id: 5003 });
    for (const order of [within, beyond, alsoBeyond]) await convergeOrder(stockDeps(db), STORE, order);
    expect(await overLimitSummary(db, STORE)).toEqual({ units: 4, orders: 2, lines: 2 });

    for (const path of ['/admin/products', '/admin/products/assigned', '/admin/report']) {
      const warning = warningOf((await admin.get(path)).html);
      expect(warning?.[1], path).toBe(
        '4 units in 2 orders went over the limit: sold beyond the salable quantity. They stay on backorder; restock, or tell the shoppers. ',
      );
      expect(warning?.[2]?.replace(/&#x3D;/g, '=')).toMatch(/^\/admin\/report\?show=over-limit&amp;session=/);
      expect(warning?.[3]).toBe('See the 2 lines over the limit');
    }
    expect(orderNumbers((await admin.get('/admin/report')).html)).toEqual([5003, 5002, 5001]);
    const filtered = await admin.get('/admin/report', { show: 'over-limit' });
    expect(orderNumbers(filtered.html)).toEqual([5003, 5002]);
    expect(filtered.html).toMatch(/<option value="over-limit" selected>Over the limit<\/option>/);

    await convergeOrder(stockDeps(db), STORE, { ...beyond, statusId: ORDER_STATUS.cancelled });
    await convergeOrder(stockDeps(db), STORE, { ...alsoBeyond, statusId: ORDER_STATUS.cancelled });
    expect(await overLimitSummary(db, STORE)).toEqual({ units: 0, orders: 0, lines: 0 });
    expect(warningOf((await admin.get('/admin/products')).html)).toBeNull();
    expect(orderNumbers((await admin.get('/admin/report', { show: 'over-limit' })).html)).toEqual([]);
    // The cancelled lines stay in the report, without the tag: nothing of them is over the limit any more.
    const report = (await admin.get('/admin/report')).html;
    expect(orderNumbers(report)).toEqual([5003, 5002, 5001]);
    expect(report).not.toContain('over the limit</span>');
  });
});

describe('All Products', () => {
  it('when only a filter is set, then the Clear link is offered', async () => {
    expect((await admin.get('/admin/products')).html).not.toMatch(/>Clear<span/);
    expect((await admin.get('/admin/products', { assigned: 'yes' })).html).toMatch(/>Clear<span class="bo-visually-hidden"> search and filters/);
  });
});

describe('stock short with no order waiting', () => {
  const SHORT = 'short2';
  let shortAdmin: AdminClient;
  const listed = (html: string) => [...html.matchAll(/<th scope="row" class="bo-table__name">([^<]*)</g)].map((m) => m[1]!.trim());
  const NOTE = '9 units short with no order waiting: set the current stock to what you have.';
  beforeAll(async () => {
    fake.addStore(SHORT, { products: [] });
    shortAdmin = adminClient(app.url, await installed(app, fake, SHORT));
  });

  it('when a level lowered in BigCommerce leaves stock 9 below zero with no order waiting, then the admin says so where products are listed and on the report, until the stock is set', async () => {
    const db = app.database.db;
    const kettle = await assignProduct(db, SHORT, { currentStock: 6, backorderThreshold: 20, bigcommerceLevel: 25 }, { productId: 911 });
    const teapot = await assignProduct(db, SHORT, { currentStock: 0, backorderThreshold: 20 }, { productId: 912 });
    await db
      .insertInto('catalog_products')
      .values(
        [911, 912].map((id) => ({
          store_hash: SHORT,
          product_id: id,
          name: id === 911 ? 'Kettle' : 'Teapot',
          is_visible: true,
          availability: 'available',
          inventory_tracking: 'none',
        })),
      )
      .execute();
    await applyBigCommerceLevels(stockDeps(db), SHORT, [{ itemId: kettle.id, level: 10 }]);
    await convergeOrder(stockDeps(db), SHORT, orderFor(teapot, 2));

    for (const path of ['/admin/products', '/admin/products/assigned', '/admin/report']) {
      const warning = warningOf((await shortAdmin.get(path)).html, 'shortfall');
      expect(warning?.[1], path).toBe(
        'Stock on 1 item is 9 units further below zero than its waiting orders account for (a level lowered in BigCommerce, or a stock edit): no shopper waits for those units. Set the current stock to what you have. ',
      );
      expect(warning?.[2]?.replace(/&#x3D;/g, '=')).toMatch(/^\/admin\/products\/assigned\?show=short&amp;session=/);
      expect(warning?.[3]).toBe('See the 1 item short');
    }

    const all = (await shortAdmin.get('/admin/products/assigned')).html;
    expect(listed(all)).toEqual(['Kettle', 'Teapot']);
    // Backordered counts units owed to shoppers: none for the kettle, 2 for the teapot.
    expect(all).toMatch(
      /Kettle[\s\S]*?data-shortfall-note>9 units short with no order waiting[\s\S]*?<td class="bo-num bo-negative">-9<\/td>[\s\S]*?<td class="bo-num">0<\/td>/,
    );
    expect(all).toMatch(/Teapot[\s\S]*?<td class="bo-num bo-negative">-2<\/td>[\s\S]*?<td class="bo-num">2<\/td>/);
    const short = (await shortAdmin.get('/admin/products/assigned', { show: 'short' })).html;
    expect(listed(short)).toEqual(['Kettle']);
    expect(short).toContain(NOTE);
    expect((await shortAdmin.get('/admin/products/911/edit')).html).toContain(NOTE);

    const form = await shortAdmin.formOf('/admin/products/911/edit');
    expect((await shortAdmin.post('/admin/products/911/edit', { ...form, 'p911.currentStock': '0' })).status).toBe(303);
    expect(warningOf((await shortAdmin.get('/admin/products')).html, 'shortfall')).toBeNull();
    expect(listed((await shortAdmin.get('/admin/products/assigned', { show: 'short' })).html)).toEqual([]);
  });
});
