import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bigCommercePorts } from '../../../server/app-lifecycle/bigcommerce-ports.ts';
import type { BcProduct, BigCommercePorts } from '../../../server/app-lifecycle/ports.ts';
import { signPayload, WEBHOOK_SECRET_HEADER } from '../../../server/bigcommerce/index.ts';
import { createLogger } from '../../../server/logger.ts';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';
import { WEBHOOK_SCOPES } from '../../../server/registration/registration.service.ts';
import { testConfig, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { fakeApi, v3PageOf, type FakeApi, type Recorded, type Reply } from '../bigcommerce/fake-api.ts';

let redis: Redis;
let api: FakeApi | undefined;
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

async function portsAgainst(handler: (request: Recorded) => Reply | Promise<Reply>, distDir?: string): Promise<BigCommercePorts> {
  api = await fakeApi(handler);
  const config = { ...testConfig({ bigcommerce: { apiUrl: api.url, loginUrl: api.url } }), appUrl: APP_URL };
  return bigCommercePorts(
    { config, redis, logger: createLogger({ level: 'silent' }), accessTokenFor: async () => 'store-token' },
    distDir ? { storefrontDistDir: distDir } : {},
  );
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

describe('the ports over the real BigCommerce client', () => {
  it('when a code is exchanged, then the token answer becomes the install grant, with the registered redirect URI', async () => {
    const ports = await portsAgainst(() => ({
      body: { access_token: 'granted', scope: 'store_v2_products', user: { id: 5, email: 'a@x.io' }, owner: { id: 1, email: 'o@x.io' }, context: 'stores/abc123', account_uuid: 'acc' },
    }));
    const grant = await ports.exchangeCode({ code: 'c1', scope: 'store_v2_products', context: 'stores/abc123' });
    expect(grant).toEqual({ accessToken: 'granted', scope: 'store_v2_products', user: { id: 5, email: 'a@x.io' }, owner: { id: 1, email: 'o@x.io' }, context: 'stores/abc123', accountUuid: 'acc' });
    expect(api!.requests[0]!.body).toMatchObject({ client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, redirect_uri: `${APP_URL}/auth` });
  });

  it('when a signed payload is verified, then a good one names the store and user, and a foreign one gives the reason', async () => {
    const ports = await portsAgainst(() => ({}));
    expect(await ports.verifySignedPayload(signPayload(claims(), TEST_CLIENT_SECRET))).toEqual({
      ok: true,
      storeHash: 'abc123',
      user: { id: 5, email: 'staff@example.com', locale: 'en' },
      owner: { id: 1, email: 'owner@example.com' },
      jti: 'j1',
      issuedAt: expect.any(Number),
      expiresAt: expect.any(Number),
    });
    expect(await ports.verifySignedPayload(signPayload(claims({ aud: 'another-app' }), TEST_CLIENT_SECRET))).toEqual({ ok: false, reason: 'wrong-audience' });
    expect(await ports.verifySignedPayload(signPayload(claims(), 'not-our-secret'))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await ports.verifySignedPayload(signPayload(claims({ exp: now() - 3600 }), TEST_CLIENT_SECRET))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    [401, 'revoked'],
    [403, 'works'],
    [200, 'works'],
    [500, 'unknown'],
    [429, 'unknown'],
  ] as const)('when BigCommerce answers the token check with %i, then the token %s', async (status, expected) => {
    const ports = await portsAgainst(() => ({ status, body: status === 200 ? { id: 'abc123', name: 'Store' } : { status, title: 'refused' } }));
    expect(await ports.tokenStatus('abc123')).toBe(expected);
    // One cheap authenticated call, never retried: a caller that cannot tell asks again later.
    expect(api!.requests).toHaveLength(1);
    expect(api!.requests[0]).toMatchObject({ method: 'GET', path: '/stores/abc123/v2/store' });
    expect(api!.requests[0]!.headers['x-auth-token']).toBe('store-token');
  });

  it('when a store is connected, then its token is sent, and the catalog, count and profile come back in the app’s shapes', async () => {
    const products = Array.from({ length: 3 }, (_, i) => ({ id: i + 1, name: `P${i + 1}`, variants: [] }));
    const ports = await portsAgainst((request) => {
      if (request.path.endsWith('/v2/store')) {
        return { body: { id: 'abc123', store_id: 1001, name: 'Jars & Co', domain: 'jars.example', secure_url: 'https://jars.example', control_panel_base_url: 'https://cp', timezone: { name: 'Europe/Paris' } } };
      }
      if (request.path.endsWith('/v3/settings/inventory')) return { body: { data: { stock_level_display: 'show_when_low' }, meta: {} } };
      return v3PageOf(request.path.endsWith('/catalog/products') ? products : [], request);
    });
    const store = await ports.connect('abc123');
    expect(await store.storeInformation()).toEqual({
      storeId: 1001,
      name: 'Jars & Co',
      domain: 'jars.example',
      secureUrl: 'https://jars.example',
      controlPanelUrl: 'https://cp',
      timezone: 'Europe/Paris',
      stockLevelDisplay: 'show_when_low',
    });
    expect(await store.catalog.productCount()).toBe(3);
    const pages: BcProduct[][] = [];
    for await (const page of store.catalog.products()) pages.push(page);
    expect(pages.flat().map((p) => p.id)).toEqual([1, 2, 3]);
    const listing = api!.requests.find((r) => r.path.endsWith('/catalog/products') && r.query.get('include') === 'variants');
    expect(listing?.query.get('limit')).toBe('250');
    expect(api!.requests.every((r) => r.headers['x-auth-token'] === 'store-token')).toBe(true);
  });

  it('when tracking is restored, then the product gets its mode and level, or each variant its level; a deleted product is done', async () => {
    const ports = await portsAgainst((request) =>
      request.path.endsWith('/products/404') ? { status: 404, body: { status: 404, title: 'Product not found' } } : { body: { data: [], meta: {} } },
    );
    const store = await ports.connect('abc123');
    await store.restoreTracking({ productId: 404, mode: 'product' });
    await store.restoreTracking({ productId: 7, mode: 'product', levels: [{ variantId: null, level: 4 }] });
    await store.restoreTracking({ productId: 8, mode: 'variant', levels: [{ variantId: 81, level: 0 }, { variantId: 82, level: 6 }] });
    await store.restoreTracking({ productId: 9, mode: 'product' });
    expect(api!.requests.map((r) => [r.method, r.path.replace(/^\/stores\/abc123\/v3/, ''), r.body])).toEqual([
      ['PUT', '/catalog/products/404', { inventory_tracking: 'product' }],
      ['PUT', '/catalog/products/7', { inventory_tracking: 'product', inventory_level: 4 }],
      ['PUT', '/catalog/products/8', { inventory_tracking: 'variant' }],
      ['PUT', '/catalog/variants', [{ id: 81, inventory_level: 0 }, { id: 82, inventory_level: 6 }]],
      ['PUT', '/catalog/products/9', { inventory_tracking: 'product' }],
    ]);
  });

  it('when a store is registered, then every webhook scope is created with its secret header, and the built scripts are added', async () => {
    const dist = await mkdtemp(path.join(os.tmpdir(), 'dist-'));
    await writeFile(path.join(dist, 'loader.js'), 'console.log(1)');
    await writeFile(path.join(dist, 'checkout.js'), 'console.log(2)');
    let id = 1;
    const ports = await portsAgainst((request) => {
      if (request.method === 'GET') return v3PageOf([], request);
      return { body: { data: { id: id++, uuid: `u${id}`, ...(request.body as object) }, meta: {} } };
    }, dist);
    const store = await ports.connect('abc123');
    // It also says which key's secret the hooks now carry (recorded on the store by the install job).
    expect(await store.reconcileWebhooks()).toEqual({ created: WEBHOOK_SCOPES.length, updated: 0, deleted: 0, unchanged: 0, secretKeyId: expect.stringMatching(/^[0-9a-f]{8}$/) });
    const hook = api!.requests.find((r) => r.method === 'POST' && r.path.endsWith('/hooks'))!.body as { destination: string; headers: Record<string, string> };
    expect(hook.destination).toBe(`${APP_URL}/webhooks/bigcommerce`);
    expect(Object.keys(hook.headers)).toEqual([WEBHOOK_SECRET_HEADER]);
    expect(await store.reconcileScripts()).toEqual({ created: 3, updated: 0, deleted: 0, unchanged: 0 });
  });
});
