import { afterEach, describe, expect, it } from 'vitest';
import { BatchTooLargeError } from '../../../server/bigcommerce/errors.ts';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { formatRfc2822, parseBigCommerceDate } from '../../../server/bigcommerce/dates.ts';
import { readOrder } from '../../../server/bigcommerce/store-orders.ts';
import { fakeApi, v3PageOf, type FakeApi, type Recorded } from './fake-api.ts';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const clientFor = (url: string) => createBigCommerceClient({ storeHash: 'abc123', accessToken: 't', apiUrl: url, rateLimitState: new MemoryRateLimitState() });

/** Answers a batch PUT with its items, and anything else with an empty envelope. */
const echo = (request: Recorded) => ({ body: { data: request.body ?? {}, meta: {} } });

describe('catalog batches', () => {
  it('when more than 10 products are given to one batch, then it is refused before any request', async () => {
    api = await fakeApi(echo);
    const items = Array.from({ length: 11 }, (_, i) => ({ id: i + 1, availability: 'disabled' as const }));
    const error = await clientFor(api.url)
      .catalog.products.updateBatch(items)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchTooLargeError);
    expect((error as Error).message).toMatch(/at most 10 .* got 11\. Use catalog\.products\.updateInChunks/);
    expect(api.requests).toHaveLength(0);
  });

  it('when 23 products are updated in chunks, then 3 batch requests of 10, 10 and 3 are sent in order', async () => {
    api = await fakeApi(echo);
    const items = Array.from({ length: 23 }, (_, i) => ({ id: i + 1, inventory_tracking: 'none' as const }));
    const updated = await clientFor(api.url).catalog.products.updateInChunks(items);
    expect(updated.map((p) => p.id)).toEqual(items.map((i) => i.id));
    expect(api.requests.map((r) => [r.method, r.path, (r.body as unknown[]).length])).toEqual([
      ['PUT', '/stores/abc123/v3/catalog/products', 10],
      ['PUT', '/stores/abc123/v3/catalog/products', 10],
      ['PUT', '/stores/abc123/v3/catalog/products', 3],
    ]);
  });

  it('when more than 50 variants are given to one batch, then it is refused; in chunks they go 50 at a time', async () => {
    api = await fakeApi(echo);
    const client = clientFor(api.url);
    const items = Array.from({ length: 120 }, (_, i) => ({ id: i + 1, purchasing_disabled: true }));
    await expect(client.catalog.variants.updateBatch(items.slice(0, 51))).rejects.toBeInstanceOf(BatchTooLargeError);
    expect(api.requests).toHaveLength(0);
    await client.catalog.variants.updateInChunks(items);
    expect(api.requests.map((r) => [r.path, (r.body as unknown[]).length])).toEqual([
      ['/stores/abc123/v3/catalog/variants', 50],
      ['/stores/abc123/v3/catalog/variants', 50],
      ['/stores/abc123/v3/catalog/variants', 20],
    ]);
  });
});

describe('calls and their URLs', () => {
  it('when filters are given, then they are sent as BigCommerce spells them', async () => {
    api = await fakeApi((request) => v3PageOf([], request));
    const client = clientFor(api.url);
    await client.catalog.products.list({
      'sku:in': ['A-1', 'B 2'],
      'categories:in': [3, 4],
      is_visible: true,
      availability: 'available',
      'date_modified:min': new Date('2026-01-02T03:04:05Z'),
      keyword: 'jar',
    });
    await client.catalog.variants.list({ 'product_id:in': [1, 2], 'sku:in': ['X'] });
    await client.inventory.items.list({ 'variant_id:in': [9] });
    expect(api.requests.map((r) => `${r.path}?${r.rawQuery}`)).toEqual([
      '/stores/abc123/v3/catalog/products?limit=250&sku:in=A-1,B%202&categories:in=3,4&is_visible=true&availability=available&date_modified:min=2026-01-02T03:04:05.000Z&keyword=jar',
      '/stores/abc123/v3/catalog/variants?limit=250&product_id:in=1,2&sku:in=X',
      '/stores/abc123/v3/inventory/items?limit=250&variant_id:in=9',
    ]);
  });

  it('when v2 orders are listed from a date, then the date is sent as RFC-2822', async () => {
    api = await fakeApi(() => ({ status: 204 }));
    await clientFor(api.url).orders.list({ min_date_created: new Date('2019-03-05T21:40:11Z'), sort: 'date_created:asc' });
    expect(api.requests[0]!.query.get('min_date_created')).toBe('Tue, 05 Mar 2019 21:40:11 +0000');
    expect(api.requests[0]!.query.get('sort')).toBe('date_created:asc');
  });

  it("when an order's notes are updated, then only those fields are PUT to v2", async () => {
    api = await fakeApi((request) => ({ body: { id: 12, ...(request.body as object) } }));
    const order = await clientFor(api.url).orders.update(12, { staff_notes: 'BACKORDER: 2 units' });
    expect(order.staff_notes).toBe('BACKORDER: 2 units');
    expect(api.requests[0]).toMatchObject({ method: 'PUT', path: '/stores/abc123/v2/orders/12', body: { staff_notes: 'BACKORDER: 2 units' } });
  });

  it('when hooks and scripts are managed, then each call reaches its v3 path', async () => {
    api = await fakeApi((request) =>
      request.method === 'DELETE' && request.path.includes('scripts') ? { status: 204 } : { body: { data: { id: 1 }, meta: {} } },
    );
    const client = clientFor(api.url);
    await client.hooks.create({ scope: 'store/order/*', destination: 'https://app.example/webhooks', headers: { a: 'b' } });
    await client.hooks.update(5, { is_active: true });
    await client.hooks.delete(5);
    await client.content.scripts.update('u-1', { enabled: false });
    await client.content.scripts.delete('u-1');
    await client.store.information();
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /stores/abc123/v3/hooks',
      'PUT /stores/abc123/v3/hooks/5',
      'DELETE /stores/abc123/v3/hooks/5',
      'PUT /stores/abc123/v3/content/scripts/u-1',
      'DELETE /stores/abc123/v3/content/scripts/u-1',
      'GET /stores/abc123/v2/store',
    ]);
  });
});

describe('reading an order with its lines', () => {
  const line = (id: number, productId: number, quantity: number, type = 'physical') => ({
    id,
    order_id: 7,
    product_id: productId,
    variant_id: productId * 10,
    name: `Product ${productId}`,
    sku: `SKU-${productId}`,
    type,
    quantity,
    quantity_shipped: 0,
    quantity_refunded: 0,
  });
  const order = (itemsTotal: number, consignments: unknown) => ({
    id: 7,
    status_id: 11,
    date_created: 'Tue, 05 Mar 2019 21:40:11 +0000',
    date_modified: 'Wed, 06 Mar 2019 08:00:05 +0000',
    is_deleted: false,
    items_total: itemsTotal,
    consignments,
  });
  const linesOf = (snapshot: Awaited<ReturnType<typeof readOrder>>) => snapshot!.lines.map((l) => [l.orderProductId, l.productId, l.quantity]);

  it('when its consignments carry every item, then one request reads the order and its lines, each line once', async () => {
    const shipping = [
      { id: 1, line_items: [line(1, 100, 2), line(2, 101, 1)] },
      { id: 2, line_items: [line(3, 102, 1)] },
    ];
    const consignments = {
      pickups: [{ id: 9, line_items: [line(4, 103, 1)] }],
      shipping,
      downloads: [],
      email: { gift_certificates: [{ line_items: [line(5, 0, 1, 'giftcertificate')] }] },
    };
    api = await fakeApi(() => ({ body: order(6, consignments) }));
    const before = Date.now();
    const snapshot = await readOrder(clientFor(api.url), 7);
    expect(api.requests.map((r) => `${r.path}?${r.rawQuery}`)).toEqual([
      '/stores/abc123/v2/orders/7?include=consignments.line_items&consignment_structure=object',
    ]);
    // Its version: when BigCommerce last modified it, and when its request was sent.
    expect(snapshot).toMatchObject({ id: 7, statusId: 11, archived: false, modifiedAt: new Date('2019-03-06T08:00:05Z') });
    expect(snapshot!.readAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(snapshot!.readAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(linesOf(snapshot)).toEqual([
      [4, 103, 1],
      [1, 100, 2],
      [2, 101, 1],
      [3, 102, 1],
    ]);
  });

  it.each([
    [
      'a line is in no consignment',
      order(4, { pickups: [], shipping: [{ id: 1, line_items: [line(1, 100, 2)] }], downloads: [], email: { gift_certificates: [] } }),
    ],
    ['the lines are links, not lines', order(2, { pickups: [], shipping: [{ id: 1, line_items: [{ url: 'u', resource: '/orders/7/products/1' }] }] })],
    ['the consignments are a link', order(2, { url: 'u', resource: '/orders/7/consignments' })],
    ['there are no consignments', order(2, undefined)],
  ])('when %s, then the lines are read from /products', async (_case, answer) => {
    api = await fakeApi((request) => ({ body: request.path.endsWith('/products') ? [line(1, 100, 2), line(6, 104, 2)] : answer }));
    const snapshot = await readOrder(clientFor(api.url), 7);
    expect(api.requests.map((r) => r.path)).toEqual(['/stores/abc123/v2/orders/7', '/stores/abc123/v2/orders/7/products']);
    expect(linesOf(snapshot)).toEqual([
      [1, 100, 2],
      [6, 104, 2],
    ]);
  });

  it('when the order is gone, then it reads as undefined', async () => {
    api = await fakeApi(() => ({ status: 404, body: [{ status: 404, message: 'The requested resource was not found.' }] }));
    expect(await readOrder(clientFor(api.url), 7)).toBeUndefined();
    expect(api.requests).toHaveLength(1);
  });
});

describe('v2 dates', () => {
  it('when a date is RFC-2822, then it parses to the instant it names', () => {
    expect(parseBigCommerceDate('Tue, 05 Mar 2019 21:40:11 +0000')?.toISOString()).toBe('2019-03-05T21:40:11.000Z');
    expect(parseBigCommerceDate('Thu, 20 Apr 2017 11:32:00 -0400')?.toISOString()).toBe('2017-04-20T15:32:00.000Z');
    expect(parseBigCommerceDate('2018-09-05T20:42:07+00:00')?.toISOString()).toBe('2018-09-05T20:42:07.000Z');
  });

  it('when a date is empty or not a date, then there is none', () => {
    expect(parseBigCommerceDate('')).toBeUndefined();
    expect(parseBigCommerceDate(null)).toBeUndefined();
    expect(parseBigCommerceDate('yesterday')).toBeUndefined();
    expect(parseBigCommerceDate('1551822011')).toBeUndefined();
  });

  it('when a date is formatted for v2, then it reads back unchanged', () => {
    const date = new Date('2026-12-31T23:59:58Z');
    expect(formatRfc2822(date)).toBe('Thu, 31 Dec 2026 23:59:58 +0000');
    expect(parseBigCommerceDate(formatRfc2822(date))?.getTime()).toBe(date.getTime());
  });
});
