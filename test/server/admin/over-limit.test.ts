/**
 * Units sold beyond the salable quantity: a warning on the products tab (the admin's home) and the report,
 * naming units and orders, with a link to the report filtered to the lines over the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { overLimitSummary } from '../../../server/reports/report.repo.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, orderFor } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'overcap1';

const warningOf = (html: string) => /<p class="bo-flash bo-flash--warning" role="status" data-over-limit>([^<]*)<a href="([^"]*)">([^<]*)<\/a>/.exec(html);
const orderNumbers = (html: string) => [...html.matchAll(/<th scope="row">#(\d+)<\/th>/g)].map((m) => Number(m[1]));

beforeAll(async () => {
  app = await startTestApp({ ports: fake.factory() });
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
    for (const order of [within, beyond, alsoBeyond]) await convergeOrder(db, STORE, order);
    expect(await overLimitSummary(db, STORE)).toEqual({ units: 4, orders: 2, lines: 2 });

    for (const path of ['/admin/products', '/admin/products/assigned', '/admin/report']) {
      const warning = warningOf((await admin.get(path)).html);
      expect(warning?.[1], path).toBe('4 units in 2 orders went over the limit: sold beyond the salable quantity. They stay on backorder; restock, or tell the shoppers. ');
      expect(warning?.[2]?.replace(/&#x3D;/g, '=')).toMatch(/^\/admin\/report\?show=over-limit&amp;session=/);
      expect(warning?.[3]).toBe('See the 2 lines over the limit');
    }
    expect(orderNumbers((await admin.get('/admin/report')).html)).toEqual([5003, 5002, 5001]);
    const filtered = await admin.get('/admin/report', { show: 'over-limit' });
    expect(orderNumbers(filtered.html)).toEqual([5003, 5002]);
    expect(filtered.html).toMatch(/<option value="over-limit" selected>Over the limit<\/option>/);

    await convergeOrder(db, STORE, { ...beyond, statusId: ORDER_STATUS.cancelled });
    await convergeOrder(db, STORE, { ...alsoBeyond, statusId: ORDER_STATUS.cancelled });
    expect(await overLimitSummary(db, STORE)).toEqual({ units: 0, orders: 0, lines: 0 });
    expect(warningOf((await admin.get('/admin/products')).html)).toBeNull();
    expect(orderNumbers((await admin.get('/admin/report', { show: 'over-limit' })).html)).toEqual([]);
  });
});

describe('All Products', () => {
  it('when only a filter is set, then the Clear link is offered', async () => {
    expect((await admin.get('/admin/products')).html).not.toMatch(/>Clear<span/);
    expect((await admin.get('/admin/products', { assigned: 'yes' })).html).toMatch(/>Clear<span class="bo-visually-hidden"> search and filters/);
  });
});
