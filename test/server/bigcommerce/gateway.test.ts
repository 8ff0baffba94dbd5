import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUDGET_WAIT_MS, createBigCommerceGateway } from '../../../server/bigcommerce/gateway.ts';
import { RateLimitedError } from '../../../server/bigcommerce/errors.ts';
import type { BigCommerceGateway, CatalogProduct } from '../../../server/bigcommerce/index.ts';
import { signPayload } from '../../../server/bigcommerce/signed-payload.ts';
import { budgetWaitMessage } from '../../../server/jobs/jobs.service.ts';
import { WEBHOOK_SECRET_HEADER } from '../../../server/bigcommerce/webhook-verification.ts';
import { createLogger } from '../../../server/logger.ts';
import { bigcommerceReadsShared } from '../../../server/metrics/metrics.ts';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';
import { desiredScripts, desiredWebhooks, WEBHOOK_SCOPES } from '../../../server/registration/registration.service.ts';
import { readStorefrontBundle } from '../../../server/registration/storefront-bundle.ts';
import { testConfig, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { until } from '../../helpers/sandbox.ts';
import { useTempFolders } from '../../helpers/temp-folders.ts';
import { fakeApi, rateLimitHeaders, v3PageOf, type FakeApi, type Recorded, type Reply } from './fake-api.ts';

let redis: Redis;
let api: FakeApi | undefined;
const tempFolder = useTempFolders();
beforeAll(async () => {
  redis = createRedis(process.env.REDIS_URL!, 'producer');
  await waitUntilReady(redis, process.env.REDIS_URL!);
});
afterAll(() => redis.quit());
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const APP_URL = 'https://backorder.example.com';

/** The requests shared reads saved so far, as the operator's /metrics counts them. */
const saved = async (store: string, kind: 'product' | 'order') =>
  (await bigcommerceReadsShared.get()).values.find((v) => v.labels.store === store && v.labels.kind === kind)?.value ?? 0;

async function gatewayAgainst(handler: (request: Recorded, index: number) => Reply | Promise<Reply>): Promise<BigCommerceGateway> {
  api = await fakeApi(handler);
  const config = { ...testConfig({ bigcommerce: { apiUrl: api.url, loginUrl: api.url } }), appUrl: APP_URL };
  return createBigCommerceGateway({ config, redis, logger: createLogger({ level: 'silent' }), accessTokenFor: async () => 'store-token' });
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({
  aud: TEST_CLIENT_ID,
  iss: 'bc',
  iat: now(),
  nbf: now(),
  exp: now() + 3600,
  jti: 'j1',
  sub: 'stores/abc123',
  user: { id: 5, email: 'staff@example.com', locale: 'en' },
  owner: { id: 1, email: 'owner@example.com' },
  ...overrides,
});

describe('the gateway over the real BigCommerce client', () => {
  it('when a code is exchanged, then the token answer becomes the install grant, with the registered redirect URI', async () => {
    const gateway = await gatewayAgainst(() => ({
      body: {
        access_token: 'granted',
        scope: 'store_v2_products',
        user: { id: 5, email: 'a@x.io' },
        owner: { id: 1, email: 'o@x.io' },
        context: 'stores/abc123',
        account_uuid: 'acc',
      },
    }));
    const grant = await gateway.exchangeCode({ code: 'c1', scope: 'store_v2_products', context: 'stores/abc123' });
    expect(grant).toEqual({
      accessToken: 'granted',
      scope: 'store_v2_products',
      user: { id: 5, email: 'a@x.io' },
      owner: { id: 1, email: 'o@x.io' },
      context: 'stores/abc123',
      accountUuid: 'acc',
    });
    expect(api!.requests[0]!.body).toMatchObject({ client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, redirect_uri: `${APP_URL}/auth` });
  });

  it('when a signed payload is verified, then a good one names the store and user, and a foreign one gives the reason', async () => {
    const gateway = await gatewayAgainst(() => ({}));
    expect(await gateway.verifySignedPayload(signPayload(claims(), TEST_CLIENT_SECRET))).toEqual({
      ok: true,
      storeHash: 'abc123',
      user: { id: 5, email: 'staff@example.com', locale: 'en' },
      owner: { id: 1, email: 'owner@example.com' },
      jti: 'j1',
      issuedAt: expect.any(Number),
      expiresAt: expect.any(Number),
    });
    expect(await gateway.verifySignedPayload(signPayload(claims({ aud: 'another-app' }), TEST_CLIENT_SECRET))).toEqual({ ok: false, reason: 'wrong-audience' });
    expect(await gateway.verifySignedPayload(signPayload(claims(), 'not-our-secret'))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await gateway.verifySignedPayload(signPayload(claims({ exp: now() - 3600 }), TEST_CLIENT_SECRET))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    [401, 'revoked'],
    [403, 'works'],
    [200, 'works'],
    [500, 'unknown'],
    [429, 'unknown'],
  ] as const)('when BigCommerce answers the token check with %i, then the token %s', async (status, expected) => {
    const gateway = await gatewayAgainst(() => ({ status, body: status === 200 ? { id: 'abc123', name: 'Store' } : { status, title: 'refused' } }));
    expect(await gateway.tokenStatus('abc123')).toBe(expected);
    // One cheap authenticated call, never retried: a caller that cannot tell asks again later.
    expect(api!.requests).toHaveLength(1);
    expect(api!.requests[0]).toMatchObject({ method: 'GET', path: '/stores/abc123/v2/store' });
    expect(api!.requests[0]!.headers['x-auth-token']).toBe('store-token');
  });

  it('when a store is connected, then its token is sent, and the catalog, count and profile come back in the app’s shapes', async () => {
    const products = Array.from({ length: 3 }, (_, i) => ({ id: i + 1, name: `P${i + 1}`, variants: [] }));
    const gateway = await gatewayAgainst((request) => {
      if (request.path.endsWith('/v2/store')) {
        return {
          body: {
            id: 'abc123',
            store_id: 1001,
            name: 'Jars & Co',
            domain: 'jars.example',
            secure_url: 'https://jars.example',
            control_panel_base_url: 'https://cp',
            timezone: { name: 'Europe/Paris', raw_offset: 3600, dst_offset: 7200 },
          },
        };
      }
      if (request.path.endsWith('/v3/settings/inventory')) return { body: { data: { stock_level_display: 'show_when_low' }, meta: {} } };
      return v3PageOf(request.path.endsWith('/catalog/products') ? products : [], request);
    });
    const store = await gateway.connect('abc123');
    expect(await store.storeProfile()).toEqual({
      storeId: 1001,
      name: 'Jars & Co',
      domain: 'jars.example',
      secureUrl: 'https://jars.example',
      controlPanelUrl: 'https://cp',
      timezone: 'Europe/Paris',
      fixedTimezone: 'Etc/GMT-1',
      stockLevelDisplay: 'show_when_low',
      inventory: { ordersMoveLevelWhenPlaced: true, cancelsReturnUnits: true, editsMoveLevel: true, nativeBackorders: false },
    });
    expect(await store.catalog.productCount()).toBe(3);
    const pages: CatalogProduct[][] = [];
    for await (const page of store.catalog.products()) pages.push(page);
    expect(pages.flat().map((p) => p.id)).toEqual([1, 2, 3]);
    const listing = api!.requests.find((r) => r.path.endsWith('/catalog/products') && r.query.get('include') === 'variants');
    expect(listing?.query.get('limit')).toBe('250');
    expect(api!.requests.every((r) => r.headers['x-auth-token'] === 'store-token')).toBe(true);
  });

  it('when a store’s products are read while one of its reads is in flight, then they go together in one request; another store’s go apart; a deleted product reads as undefined', async () => {
    const catalog = new Map(Array.from({ length: 40 }, (_, i) => [i + 1, { id: i + 1, name: `P${i + 1}`, variants: [] }]));
    catalog.delete(13);
    const gateway = await gatewayAgainst((request) => {
      const ids = (request.query.get('id:in') ?? '').split(',').map(Number);
      return v3PageOf(
        ids.flatMap((id) => catalog.get(id) ?? []),
        request,
      );
    });
    const savedBefore = await saved('abc123', 'product');
    // Two connections of one store (two events' handlers) share its reads.
    const [first, second, other] = await Promise.all([gateway.connect('abc123'), gateway.connect('abc123'), gateway.connect('def456')]);
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const read = await Promise.all([...ids.map((id) => (id % 2 === 0 ? first : second).product(id)), other.product(30), other.product(31)]);

    expect(read.map((product) => product?.id)).toEqual([...ids.map((id) => (id === 13 ? undefined : id)), 30, 31]);
    const asked = (store: string) =>
      api!.requests.filter((r) => r.path === `/stores/${store}/v3/catalog/products`).map((r) => r.query.get('id:in')?.split(',').map(Number));
    expect(asked('abc123')).toEqual([[1], ids.slice(1)]);
    expect(asked('def456')).toEqual([[30], [31]]);
    expect((await saved('abc123', 'product')) - savedBefore).toBe(18); // 20 reads, 2 requests
    expect(api!.requests.every((r) => r.query.get('include') === 'variants')).toBe(true);
  });

  it('when an order’s events read it while one of its reads is in flight, then they share one read that began after they asked; another order’s and a background read go apart', async () => {
    let status = 0; // Incomplete, as a storefront order begins
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lines = [
      { id: 1, product_id: 100, variant_id: null, sku: 'S', name: 'Lamp', type: 'physical', quantity: 1, quantity_shipped: 0, quantity_refunded: 0 },
    ];
    const gateway = await gatewayAgainst(async (request, index) => {
      const id = Number(request.path.split('/')[5]);
      const seen = status; // what BigCommerce holds when the request arrives
      if (index === 0) await held;
      return {
        body: {
          id,
          status_id: seen,
          date_created: 'Tue, 05 Mar 2019 21:40:11 +0000',
          date_modified: 'Tue, 05 Mar 2019 21:40:11 +0000',
          is_deleted: false,
          items_total: 1,
          consignments: { pickups: [], shipping: [{ id: 1, line_items: lines }], downloads: [] },
        },
      };
    });
    const savedBefore = await saved('abc123', 'order');
    const [created, statusUpdated, updated] = await Promise.all([gateway.connect('abc123'), gateway.connect('abc123'), gateway.connect('abc123')]);
    const background = await gateway.connect('abc123', { priority: 'background' });

    const first = created.order(7); // store/order/created: its read is in flight
    await until(() => api!.requests.length === 1);
    status = 11; // the order leaves Incomplete: store/order/statusUpdated and store/order/updated
    const [second, third, another, noting] = [statusUpdated.order(7), updated.order(7), created.order(8), background.order(7)];
    await until(() => api!.requests.length === 3);
    release();

    expect((await first)?.statusId).toBe(0);
    // The two later events share one read, begun after both asked: it sees the status they report.
    expect([(await second)?.statusId, (await third)?.statusId]).toEqual([11, 11]);
    // Its version is its request's, sent after the first's: converged after the first, it is not older.
    expect((await third)?.readAt).toBe((await second)?.readAt);
    expect((await second)!.readAt.getTime()).toBeGreaterThanOrEqual((await first)!.readAt.getTime());
    expect((await another)?.id).toBe(8);
    expect((await noting)?.statusId).toBe(11);
    const reads = (id: number) => api!.requests.filter((r) => r.path === `/stores/abc123/v2/orders/${id}`).length;
    expect([reads(7), reads(8)]).toEqual([3, 1]); // the first, the two later events' one, the background's own
    expect((await saved('abc123', 'order')) - savedBefore).toBe(1);
  });

  it('when tracking is restored, then the product gets its mode and level, or each variant its level; a deleted product is done', async () => {
    const gateway = await gatewayAgainst((request) =>
      request.path.endsWith('/products/404') ? { status: 404, body: { status: 404, title: 'Product not found' } } : { body: { data: [], meta: {} } },
    );
    const store = await gateway.connect('abc123');
    await store.restoreTracking({ productId: 404, mode: 'product' });
    await store.restoreTracking({ productId: 7, mode: 'product', levels: [{ variantId: null, level: 4 }] });
    await store.restoreTracking({
      productId: 8,
      mode: 'variant',
      levels: [
        { variantId: 81, level: 0 },
        { variantId: 82, level: 6 },
      ],
    });
    await store.restoreTracking({ productId: 9, mode: 'product' });
    expect(api!.requests.map((r) => [r.method, r.path.replace(/^\/stores\/abc123\/v3/, ''), r.body])).toEqual([
      ['PUT', '/catalog/products/404', { inventory_tracking: 'product' }],
      ['PUT', '/catalog/products/7', { inventory_tracking: 'product', inventory_level: 4 }],
      ['PUT', '/catalog/products/8', { inventory_tracking: 'variant' }],
      [
        'PUT',
        '/catalog/variants',
        [
          { id: 81, inventory_level: 0 },
          { id: 82, inventory_level: 6 },
        ],
      ],
      ['PUT', '/catalog/products/9', { inventory_tracking: 'product' }],
    ]);
  });

  it('when a store is registered, then every webhook scope is created with its secret header, and the built scripts are added', async () => {
    const dist = await tempFolder('dist-');
    await writeFile(path.join(dist, 'loader.js'), 'console.log(1)');
    await writeFile(path.join(dist, 'checkout.js'), 'console.log(2)');
    let id = 1;
    const gateway = await gatewayAgainst((request) => {
      if (request.method === 'GET') return v3PageOf([], request);
      return { body: { data: { id: id++, uuid: `u${id}`, ...(request.body as object) }, meta: {} } };
    });
    const store = await gateway.connect('abc123');
    const counts = (report: { created: unknown[]; updated: unknown[]; deleted: unknown[]; unchanged: unknown[] }) => ({
      created: report.created.length,
      updated: report.updated.length,
      deleted: report.deleted.length,
      unchanged: report.unchanged.length,
    });
    expect(counts(await store.registerWebhooks(desiredWebhooks(APP_URL, 'abc123', randomBytes(32))))).toEqual({
      created: WEBHOOK_SCOPES.length,
      updated: 0,
      deleted: 0,
      unchanged: 0,
    });
    const hook = api!.requests.find((r) => r.method === 'POST' && r.path.endsWith('/hooks'))!.body as { destination: string; headers: Record<string, string> };
    expect(hook.destination).toBe(`${APP_URL}/webhooks/bigcommerce`);
    expect(Object.keys(hook.headers)).toEqual([WEBHOOK_SECRET_HEADER]);
    const scripts = desiredScripts(APP_URL, 'abc123', await readStorefrontBundle(dist));
    expect(counts(await store.registerScripts(scripts))).toEqual({ created: 3, updated: 0, deleted: 0, unchanged: 0 });
  });

  it('when a store’s API window is down to the share left for the stock’s calls, then a background connection’s call waits for the reset unsent and a stock call still goes', async () => {
    let left = 4;
    // A quota of 10 a 30 s window: its last 2 units are the stock's.
    const gateway = await gatewayAgainst((request) => ({
      ...v3PageOf([{ id: 7, name: 'Lamp', variants: [] }], request),
      headers: rateLimitHeaders(--left, 20_000, 10),
    }));
    const storeHash = `share${Date.now()}`;
    const stock = await gateway.connect(storeHash);
    const background = await gateway.connect(storeHash, { priority: 'background' });

    expect(await stock.product(7)).toMatchObject({ id: 7 }); // the window is learnt: 3 left
    expect(await background.productsByIds([7])).toHaveLength(1); // 2 left
    const refused = await background.productsByIds([7]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBeGreaterThan(BUDGET_WAIT_MS);
    expect((refused as RateLimitedError).message).toMatch(/not sent: the store's API budget for work that can wait is spent for another \d+ ms/);
    // A store job put back for it tells the merchant why it waits while orders go on.
    expect(budgetWaitMessage(refused as RateLimitedError & { retryAfterMs: number })).toMatch(
      /^Waiting for BigCommerce: this run has used what it may of your store’s API budget for now — the rest is kept for orders, so that stock stays right; going on in about \d+ s\.$/,
    );
    expect(await stock.product(7)).toMatchObject({ id: 7 });
    expect(api!.requests).toHaveLength(3);
  });

  it('when a background connection reads a product while the stock’s reads wait for theirs, then the stock’s reads go on their own budget, not on the background share', async () => {
    let left = 3;
    const gateway = await gatewayAgainst((request) => ({
      ...v3PageOf(
        (request.query.get('id:in') ?? '').split(',').map((id) => ({ id: Number(id), name: `Product ${id}`, variants: [] })),
        request,
      ),
      headers: rateLimitHeaders(--left, 20_000, 10),
    }));
    const storeHash = `coalesced${Date.now()}`;
    const stock = await gateway.connect(storeHash);
    const background = await gateway.connect(storeHash, { priority: 'background' });
    await stock.product(1); // the window is learnt: 2 left, both the stock's

    // The first read is under way; the next two would go together, read with the first asker's connection.
    const [first, ofBackground, ofStock] = await Promise.allSettled([stock.product(7), background.product(8), stock.product(9)]);

    expect(first).toMatchObject({ status: 'fulfilled', value: { id: 7 } });
    expect(ofBackground).toMatchObject({ status: 'rejected', reason: expect.any(RateLimitedError) });
    expect(ofStock).toMatchObject({ status: 'fulfilled', value: { id: 9 } });
  });

  it.each([
    { spent: 'shorter than the gateway waits', resetMs: 300, then: 'waited out' },
    { spent: 'longer than the gateway waits', resetMs: BUDGET_WAIT_MS + 1_000, then: 'not waited for' },
  ])('when a call finds the store’s budget spent for $spent, then the reset is $then', async ({ resetMs }) => {
    let answered = 0;
    const gateway = await gatewayAgainst((request) =>
      answered++ === 0
        ? { status: 429, headers: rateLimitHeaders(0, resetMs), body: { status: 429, title: 'Too many requests' } }
        : { ...v3PageOf([{ id: 7, name: 'Lamp', variants: [] }], request), headers: rateLimitHeaders(149, 30_000) },
    );
    const store = await gateway.connect('abc123');
    const outcome = await store.product(7).catch((error: unknown) => error);
    if (resetMs < BUDGET_WAIT_MS) {
      expect(outcome).toMatchObject({ id: 7 });
      expect(api!.requests).toHaveLength(2);
    } else {
      // Nothing more is sent: a job is put back until the reset, a command waits it out.
      expect(outcome).toBeInstanceOf(RateLimitedError);
      expect((outcome as RateLimitedError).retryAfterMs).toBeGreaterThan(BUDGET_WAIT_MS);
      expect(api!.requests).toHaveLength(1);
    }
  });
});
