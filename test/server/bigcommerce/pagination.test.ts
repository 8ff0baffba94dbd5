import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { type Product } from '../../../server/bigcommerce/catalog.types.ts';
import { fakeApi, v2PageOf, v3PageOf, type FakeApi } from './fake-api.ts';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const clientFor = (url: string) => createBigCommerceClient({ storeHash: 'abc123', accessToken: 't', apiUrl: url, rateLimitState: new MemoryRateLimitState() });

const products = Array.from({ length: 1_000 }, (_, i) => ({ id: i + 1, name: `Product ${i + 1}` }) as Product);
const orders = (count: number) => Array.from({ length: count }, (_, i) => ({ id: i + 1, status_id: 11 }));

describe('pagination', () => {
  it('when a store has 1,000 products, then they are read in exactly 4 requests of 250', async () => {
    api = await fakeApi((request) => v3PageOf(products, request));
    const read: number[] = [];
    for await (const product of clientFor(api.url).catalog.products.all({ include: ['variants'] })) read.push(product.id);
    expect(read).toEqual(products.map((p) => p.id));
    expect(api.requests).toHaveLength(4);
    expect(api.requests.map((r) => r.rawQuery)).toEqual([1, 2, 3, 4].map((page) => `include=variants&page=${page}&limit=250`));
  });

  it('when 1,000 products are re-read by id, then 4 requests carry 250 ids each', async () => {
    api = await fakeApi((request) => {
      const wanted = new Set((request.query.get('id:in') ?? '').split(',').map(Number));
      return v3PageOf(
        products.filter((p) => wanted.has(p.id)),
        request,
      );
    });
    const ids = products.map((p) => p.id).reverse();
    let count = 0;
    for await (const page of clientFor(api.url).catalog.products.pagesByIds(ids, { include_fields: ['inventory_level'] })) count += page.length;
    expect(count).toBe(1_000);
    expect(api.requests).toHaveLength(4);
    for (const request of api.requests) {
      expect(request.query.get('id:in')!.split(',')).toHaveLength(250);
      expect(request.rawQuery).toMatch(/^include_fields=inventory_level&id:in=[\d,]+&limit=250&page=1$/);
    }
  });

  it('when a store ignores the page asked for, then reading still ends after total_pages requests', async () => {
    api = await fakeApi((request) => v3PageOf(products, Object.assign(request, { query: new URLSearchParams('page=1&limit=250') })));
    let count = 0;
    for await (const page of clientFor(api.url).catalog.products.pages()) count += page.length;
    expect(count).toBe(1_000);
    expect(api.requests).toHaveLength(4);
  });

  it('when a v3 list is empty, then nothing is yielded after one request', async () => {
    api = await fakeApi((request) => v3PageOf([], request));
    const pages = [];
    for await (const page of clientFor(api.url).hooks.pages()) pages.push(page);
    expect(pages).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });

  it('when a v2 list is empty, then the 204 yields nothing', async () => {
    api = await fakeApi((request) => v2PageOf([], request));
    const client = clientFor(api.url);
    const seen = [];
    for await (const order of client.orders.all({ min_id: 1_000 })) seen.push(order);
    expect(seen).toEqual([]);
    await expect(client.orders.list()).resolves.toEqual([]);
    expect(api.requests[0]!.rawQuery).toBe('min_id=1000&page=1&limit=250');
  });

  it('when a v2 list ends on a short page, then no further page is asked for', async () => {
    const all = orders(300);
    api = await fakeApi((request) => v2PageOf(all, request));
    const seen = [];
    for await (const order of clientFor(api.url).orders.all({ sort: 'id:asc' })) seen.push(order.id);
    expect(seen).toEqual(all.map((o) => o.id));
    expect(api.requests).toHaveLength(2);
  });

  it('when a v2 list fills its last page exactly, then the 204 that follows ends it', async () => {
    const all = orders(500);
    api = await fakeApi((request) => v2PageOf(all, request));
    let count = 0;
    for await (const page of clientFor(api.url).orders.pages()) count += page.length;
    expect(count).toBe(500);
    expect(api.requests.map((r) => [r.query.get('page'), r.query.get('limit')])).toEqual([
      ['1', '250'],
      ['2', '250'],
      ['3', '250'],
    ]);
  });

  it("when an order's lines span pages, then all of them are returned", async () => {
    const lines = Array.from({ length: 260 }, (_, i) => ({ id: i + 1, order_id: 5, product_id: 1, quantity: 1 }));
    api = await fakeApi((request) => v2PageOf(lines, request));
    await expect(clientFor(api.url).orders.products(5)).resolves.toHaveLength(260);
    expect(api.requests.map((r) => r.path)).toEqual(['/stores/abc123/v2/orders/5/products', '/stores/abc123/v2/orders/5/products']);
  });
});
