import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { invalidateStorefront } from '../../../server/storefront-api/invalidation.ts';
import { createLogger } from '../../../server/logger.ts';
import { createRedis } from '../../../server/redis.ts';
import { clientBudget, FLUSH_MS } from '../../../server/storefront-api/rate-limit.ts';
import type { AvailabilityAnswer } from '../../../storefront/src/contract/storefront-api.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { assignItems, createStore, editItem, stockDeps } from '../../helpers/inventory.ts';

let app: TestApp;
const STORE = 'sfapi1';
const OTHER = 'sfapi2';

const assign = (storeHash: string, productId: number, items: Parameters<typeof assignItems>[3]) => assignItems(app.database.db, storeHash, productId, items);

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  const db = app.database.db;
  await createStore(db, STORE);
  await createStore(db, OTHER);
  await assign(STORE, 11, [{ variantId: null, stock: 3, threshold: 10, date: '2099-12-24', incoming: 6 }]);
  await assign(STORE, 12, [{ variantId: null, stock: -2, threshold: 2 }]);
  await assign(STORE, 13, [{ variantId: null, stock: 0, threshold: null }]);
  await db
    .insertInto('catalog_products')
    .values({ store_hash: STORE, product_id: 14, name: 'Tee', is_visible: true, availability: 'available', inventory_tracking: 'none' })
    .execute();
  await db
    .insertInto('catalog_variants')
    .values([
      { store_hash: STORE, product_id: 14, variant_id: 141, option_pairs: JSON.stringify([[5, 51]]) },
      { store_hash: STORE, product_id: 14, variant_id: 142, option_pairs: JSON.stringify([[5, 52]]) },
    ])
    .execute();
  await assign(STORE, 14, [
    { variantId: 141, stock: 0, threshold: 5 },
    { variantId: 142, stock: 7, threshold: 0 },
  ]);
  await assign(OTHER, 21, [{ variantId: null, stock: 1, threshold: 1 }]);
});
afterAll(async () => {
  await app?.stop();
});

/** Lets a process add its last requests to the shared count and hear it back (the budget never waits for it). */
const sharedCountHeard = () => new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 3));

const url = (storeHash: string, products: string) => `${app.url}/storefront-api/v1/stores/${storeHash}/availability?products=${products}`;
async function answer(storeHash: string, products: string): Promise<AvailabilityAnswer> {
  const response = await fetch(url(storeHash, products));
  expect(response.status).toBe(200);
  return (await response.json()) as AvailabilityAnswer;
}

describe('the storefront availability API', () => {
  it('when a page asks about assigned products, then each item says its status and the numbers its messages need', async () => {
    const body = await answer(STORE, '11,12,13,14,99');
    expect(body.v).toBe(1);
    expect(body.numbers).toBe('exact');
    expect(body.settings?.themeProfile).toBe('cornerstone');
    expect(body.settings).not.toHaveProperty('enabled');
    expect(body.products).toEqual({
      '11': { item: { status: 'in_stock', onHand: 3, salable: 13, backInStockDate: '2099-12-24', incomingLeft: 6 } },
      '12': { item: { status: 'sold_out', onHand: 0, salable: 0, backInStockDate: null, incomingLeft: null } },
      '13': { item: { status: 'backorder', onHand: 0, salable: null, backInStockDate: null, incomingLeft: null } },
      '14': {
        variants: {
          '141': { status: 'backorder', onHand: 0, salable: 5, backInStockDate: null, incomingLeft: null, options: [[5, 51]] },
          '142': { status: 'in_stock', onHand: 7, salable: 7, backInStockDate: null, incomingLeft: null, options: [[5, 52]] },
        },
      },
    });
  });

  it('when the incoming stock is already used up by units waiting ahead, then no back-in-stock date is promised', async () => {
    const store = 'sfapi4';
    await createStore(app.database.db, store);
    const date = '2099-03-01';
    await assign(store, 41, [{ variantId: null, stock: -4, threshold: 10, date, incoming: 4 }]);
    await assign(store, 42, [{ variantId: null, stock: -4, threshold: 10, date, incoming: 5 }]);
    await assign(store, 43, [{ variantId: null, stock: 2, threshold: 10, date, incoming: 0 }]);
    await assign(store, 44, [{ variantId: null, stock: 2, threshold: 10, date, incoming: 1 }]);
    const dates = Object.fromEntries(
      Object.entries((await answer(store, '41,42,43,44')).products).map(([id, p]) => [id, [p.item!.backInStockDate, p.item!.incomingLeft]]),
    );
    // incomingLeft: the expected units past those already waiting, so a checkout can tell which lines they cover.
    expect(dates).toEqual({ '41': [null, null], '42': [date, 1], '43': [null, null], '44': [date, 1] });
  });

  it('when stock is below zero with no order waiting (a shortfall), then incoming stock still promises its date to the next shopper', async () => {
    const store = 'sfapi5';
    await createStore(app.database.db, store);
    const date = '2027-03-01';
    const [item] = await assign(store, 51, [{ variantId: null, stock: 0, threshold: 10, date, incoming: 2 }]);
    // BigCommerce's level lowered from 4 to 0: stock −4, owed to no order.
    await app.database.db.updateTable('inventory_items').set({ bigcommerce_level: 4 }).where('id', '=', item!.id).execute();
    await applyBigCommerceLevels(stockDeps(app.database.db), store, [{ itemId: item!.id, level: 0 }]);
    const { item: answered } = (await answer(store, '51')).products['51']!;
    // A new order's units would wait ahead of the shortfall, so the 2 incoming serve them.
    expect([answered!.backInStockDate, answered!.incomingLeft]).toEqual([date, 2]);
  });

  it('when the store is unknown or the products belong to another store, then the answer is empty, not an error', async () => {
    expect(await answer('nosuchstore', '11')).toEqual({ v: 1, settings: null, numbers: 'withheld', products: {} });
    expect((await answer(STORE, '21')).products).toEqual({});
    expect(Object.keys((await answer(OTHER, '11,21')).products)).toEqual(['21']);
  });

  it('when anyone asks about store hashes no store has, then nothing is kept for them in Redis', async () => {
    for (const ids of ['1', '2,3', '4']) expect((await answer('nosuchstore', ids)).products).toEqual({});
    expect(await app.redis.keys(`${app.config.queuePrefix}:storefront-answers:nosuchstore*`)).toEqual([]);
    await answer(STORE, '11');
    expect(await app.redis.keys(`${app.config.queuePrefix}:storefront-answers:${STORE}*`)).toHaveLength(1);
  });

  it('when the store hides stock levels and no text uses a number, then numbers are withheld', async () => {
    const store = 'sfapi3';
    await createStore(app.database.db, store);
    await assign(store, 31, [{ variantId: null, stock: 4, threshold: 6 }]);
    await updateSettings(app.database.db, store, {
      storefront: {
        quantityMessage: { enabled: false },
        addToCartMessage: { enabled: false },
        cartMessage: { enabled: false },
        checkoutNotice: { enabled: false },
        inventoryDescription: { inStockText: 'In stock' },
      },
    });
    const body = await answer(store, '31');
    if (body.numbers === 'exact') throw new Error(`a default text still uses a number: ${JSON.stringify(body.settings)}`);
    expect(body.products['31']).toEqual({ item: { status: 'in_stock', onHand: null, salable: null, backInStockDate: null, incomingLeft: null } });
  });

  it('when answering, then it is public, cacheable for a moment, and a matching ETag gets 304', async () => {
    const first = await fetch(url(STORE, '11'));
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(first.headers.get('access-control-allow-credentials')).toBeNull();
    expect(first.headers.get('cache-control')).toBe('public, max-age=15, stale-while-revalidate=60');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(url(STORE, '11'), { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('when stock changes, then the cached answer is dropped on invalidation and only then', async () => {
    const [item] = await assign(STORE, 15, [{ variantId: null, stock: 5, threshold: 0 }]);
    expect((await answer(STORE, '15')).products['15']?.item?.onHand).toBe(5);

    // An edit whose effects are held back (recorded, not carried out): the cache is not told yet.
    await editItem(stockDeps(app.database.db), STORE, item!.id, { currentStock: 1 });
    // Not invalidated yet: the cache answers.
    expect((await answer(STORE, '15')).products['15']?.item?.onHand).toBe(5);

    await invalidateStorefront(app.redis, app.config.queuePrefix, STORE);
    await expect.poll(async () => (await answer(STORE, '15')).products['15']?.item?.onHand, { timeout: 5_000 }).toBe(1);
  });

  it('when a product is still being assigned (BigCommerce tracks it until it confirms), then shoppers are told nothing yet', async () => {
    const [item] = await assign(STORE, 16, [{ variantId: null, stock: 0, threshold: 5 }]);
    await app.database.db.updateTable('assignments').set({ state: 'assigning' }).where('id', '=', item!.assignment_id).execute();
    expect((await answer(STORE, '16')).products).toEqual({});
  });

  it('when the product list is malformed, then 400 names the parameter', async () => {
    for (const bad of ['abc', '1,-2', '0', Array.from({ length: 101 }, (_, i) => i + 1).join(',')]) {
      const response = await fetch(url(STORE, bad));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/^products: /);
    }
  });

  it('when one client address asks more than its budget, then it gets 429 with Retry-After, still readable cross-origin', async () => {
    const strict = await startTestApp({ workers: false, config: { storefrontApiPerMinute: 2 } });
    try {
      const ask = () => fetch(`${strict.url}/storefront-api/v1/stores/${STORE}/availability?products=11`);
      expect([(await ask()).status, (await ask()).status]).toEqual([200, 200]);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
      expect(refused.headers.get('access-control-expose-headers')).toBe('Retry-After');
      expect((await refused.json()).error).toMatch(/^Too many requests/);
    } finally {
      await strict.stop();
    }
  });

  it('when the app stands behind two proxies (TRUST_PROXY=2), then each shopper has a budget of their own, by the address the proxies forwarded', async () => {
    const behind = (proxies: number) => startTestApp({ workers: false, config: { storefrontApiPerMinute: 1, trustProxy: proxies } });
    const ask = (on: TestApp, shopper: string) =>
      fetch(`${on.url}/storefront-api/v1/stores/${STORE}/availability?products=11`, { headers: { 'X-Forwarded-For': `${shopper}, 10.0.0.2` } }).then(
        (r) => r.status,
      );
    const [two, one] = await Promise.all([behind(2), behind(1)]);
    try {
      expect([await ask(two, '198.51.100.1'), await ask(two, '198.51.100.2'), await ask(two, '198.51.100.1')]).toEqual([200, 200, 429]);
      // Believing one proxy, every shopper is the CDN's address that the load balancer saw: one budget for all.
      expect([await ask(one, '198.51.100.1'), await ask(one, '198.51.100.2')]).toEqual([200, 429]);
    } finally {
      await Promise.all([two.stop(), one.stop()]);
    }
  });

  it('when one client asks too often, then it is told to wait until its window ends, while another client is not', async () => {
    const budget = clientBudget({ redis: app.redis, prefix: `${app.config.queuePrefix}:unit`, perWindow: 3, windowSeconds: 60, logger: app.logger });
    expect([budget.take('a'), budget.take('a'), budget.take('a'), budget.take('b')]).toEqual([undefined, undefined, undefined, undefined]);
    expect(budget.take('a')).toBe(60);
    const short = clientBudget({ redis: app.redis, prefix: `${app.config.queuePrefix}:unit-short`, perWindow: 1, windowSeconds: 1, logger: app.logger });
    expect([short.take('a'), short.take('a')]).toEqual([undefined, 1]);
    // The shared window starts when the count reaches Redis, up to FLUSH_MS after the first request.
    await new Promise((resolve) => setTimeout(resolve, 1_000 + FLUSH_MS * 3));
    expect(short.take('a')).toBeUndefined();
  });

  it('when two web processes share Redis, then a client has one budget across both, not one in each', async () => {
    const shared = { storefrontApiPerMinute: 3, queuePrefix: `{shared${Date.now().toString(36)}}` };
    const [one, two] = await Promise.all([startTestApp({ workers: false, config: shared }), startTestApp({ workers: false, config: shared })]);
    try {
      const ask = async (on: TestApp) => {
        const { status } = await fetch(`${on.url}/storefront-api/v1/stores/${STORE}/availability?products=11`);
        await sharedCountHeard();
        return status;
      };
      // The third request spends the budget: the first process refuses the client from then on; the second
      // answers the one request it had counted before it heard the shared count, then refuses too.
      // With a budget in each process, all six would be answered.
      expect([await ask(one), await ask(two), await ask(one), await ask(two), await ask(one), await ask(two)]).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('when Redis cannot be reached, then each process keeps its own count without waiting, and the log says so once', async () => {
    const away = createRedis('redis://127.0.0.1:1', 'request', 'budget-away');
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }) });
    try {
      const budget = clientBudget({ redis: away, prefix: 'away', perWindow: 2, windowSeconds: 60, logger });
      const answers = [];
      for (let i = 0; i < 3; i++) {
        answers.push(budget.take('a'));
        await sharedCountHeard();
      }
      expect(answers).toEqual([undefined, undefined, 60]);
      expect(lines.filter((line) => line.includes('storefront API budget not shared'))).toHaveLength(1);
    } finally {
      away.disconnect();
    }
  });
});
