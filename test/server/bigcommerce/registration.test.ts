import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { reconcileScripts } from '../../../server/bigcommerce/register-scripts.ts';
import { reconcileWebhooks } from '../../../server/bigcommerce/register-webhooks.ts';
import { type Hook } from '../../../server/bigcommerce/hooks.ts';
import { type Script, type ScriptFields } from '../../../server/bigcommerce/scripts.ts';
import { fakeApi, v3PageOf, type FakeApi, type Recorded, type Reply } from './fake-api.ts';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

/** A store holding hooks and scripts, answering the v3 calls registration makes. */
async function storeWith(hooks: Hook[], scripts: Script[]) {
  let nextId = 1_000;
  const handle = (request: Recorded): Reply => {
    const [, , , , resource, id] = request.path.split('/'); // /stores/abc123/v3/hooks/5 → hooks, 5
    const isScripts = request.path.includes('/content/scripts');
    const key = isScripts ? request.path.split('/')[6] : id;
    const body = request.body as Record<string, unknown>;
    if (!isScripts && resource !== 'hooks') return { status: 404 };
    const list = (isScripts ? scripts : hooks) as Array<Record<string, unknown>>;
    const find = () => list.findIndex((item) => String(item[isScripts ? 'uuid' : 'id']) === key);
    if (request.method === 'GET') return v3PageOf(list, request);
    if (request.method === 'POST') {
      const created = isScripts ? { uuid: `u-${nextId++}`, ...body } : { id: nextId++, headers: null, is_active: true, ...body };
      list.push(created);
      return { body: { data: created, meta: {} } };
    }
    const index = find();
    if (index < 0) return { status: 404, body: { status: 404, title: 'Not found' } };
    if (request.method === 'PUT') {
      list[index] = { ...list[index], ...body };
      return { body: { data: list[index], meta: {} } };
    }
    const [removed] = list.splice(index, 1);
    return isScripts ? { status: 204 } : { body: { data: removed, meta: {} } };
  };
  api = await fakeApi(handle);
  return createBigCommerceClient({ storeHash: 'abc123', accessToken: 't', apiUrl: api.url, rateLimitState: new MemoryRateLimitState() });
}

const DESTINATION = 'https://app.example.com/webhooks/bigcommerce';
const HEADERS = { 'X-Backorder-Webhook-Secret': 's3cret' };
const hook = (id: number, scope: string, overrides: Partial<Hook> = {}): Hook => ({
  id,
  client_id: 'cid',
  store_hash: 'abc123',
  scope,
  destination: DESTINATION,
  is_active: true,
  headers: HEADERS,
  created_at: 1,
  updated_at: 1,
  ...overrides,
});

const writes = () => api!.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace('/stores/abc123/v3', '')}`);

describe('webhook registration', () => {
  it('when the store differs from what is wanted, then exactly the differences are created, updated, reactivated and deleted', async () => {
    const client = await storeWith(
      [
        hook(1, 'store/order/created'),
        hook(2, 'store/order/updated', { destination: 'https://old.example.com/webhooks' }),
        hook(3, 'store/product/updated', { is_active: false }),
        hook(4, 'store/sku/inventory/updated', { headers: { 'X-Backorder-Webhook-Secret': 'old' }, is_active: false }),
        hook(5, 'store/cart/created'),
        hook(6, 'store/order/created', { destination: 'https://old.example.com/webhooks' }),
      ],
      [],
    );
    const scopes = ['store/order/created', 'store/order/updated', 'store/product/updated', 'store/sku/inventory/updated', 'store/product/deleted'];
    const report = await reconcileWebhooks(client, { scopes, destination: DESTINATION, headers: HEADERS });

    expect(report.unchanged.map((e) => e.id)).toEqual([1]);
    expect(report.updated).toEqual([
      { id: 2, scope: 'store/order/updated', changes: ['destination'] },
      { id: 4, scope: 'store/sku/inventory/updated', changes: ['headers', 'is_active'] },
    ]);
    expect(report.reactivated.map((e) => e.id)).toEqual([3, 4]);
    expect(report.created.map((e) => e.scope)).toEqual(['store/product/deleted']);
    expect(report.deleted.map((e) => e.id)).toEqual([5, 6]);
    expect(writes()).toEqual(['PUT /hooks/2', 'PUT /hooks/3', 'PUT /hooks/4', 'POST /hooks', 'DELETE /hooks/5', 'DELETE /hooks/6']);
    expect(api!.requests.find((r) => r.method === 'POST')!.body).toEqual({
      scope: 'store/product/deleted',
      destination: DESTINATION,
      is_active: true,
      headers: HEADERS,
    });
  });

  it('when registration runs again, then nothing changes', async () => {
    const client = await storeWith([hook(2, 'store/order/updated', { is_active: false })], []);
    const desired = { scopes: ['store/order/updated', 'store/order/created'], destination: DESTINATION, headers: HEADERS };
    await reconcileWebhooks(client, desired);
    const writesBefore = writes().length;
    const second = await reconcileWebhooks(client, desired);
    expect(second.unchanged).toHaveLength(2);
    expect([...second.created, ...second.updated, ...second.reactivated, ...second.deleted]).toEqual([]);
    expect(writes()).toHaveLength(writesBefore);
  });

  it('when a hook is not the app’s to manage, then it is left alone', async () => {
    const client = await storeWith([hook(7, 'store/cart/created', { destination: 'https://other.example.com/hooks' })], []);
    const report = await reconcileWebhooks(client, {
      scopes: [],
      destination: DESTINATION,
      headers: HEADERS,
      owns: (h) => h.destination.startsWith('https://app.example.com/'),
    });
    expect(report.deleted).toEqual([]);
    expect(writes()).toEqual([]);
  });
});

const script = (uuid: string, fields: Partial<Script>): Script => ({
  uuid,
  name: 'BackOrder storefront',
  kind: 'src',
  src: 'https://app.example.com/storefront/loader.js',
  load_method: 'defer',
  location: 'footer',
  visibility: 'storefront',
  auto_uninstall: true,
  consent_category: 'essential',
  enabled: true,
  channel_id: 1,
  date_created: '2026-01-01T00:00:00Z',
  date_modified: '2026-01-01T00:00:00Z',
  ...fields,
});

describe('script registration', () => {
  it('when scripts differ from what is wanted, then missing ones are created, changed fields updated and leftovers deleted', async () => {
    const client = await storeWith(
      [],
      [
        script('u-1', { src: 'https://old.example.com/storefront/loader.js' }),
        script('u-2', { name: 'BackOrder checkout', visibility: 'checkout' }),
        script('u-3', { name: 'Old experiment' }),
        script('u-4', {}),
      ],
    );
    const wanted: ScriptFields[] = [
      {
        name: 'BackOrder storefront',
        kind: 'src',
        src: 'https://app.example.com/storefront/loader.js',
        load_method: 'defer',
        location: 'footer',
        visibility: 'storefront',
        auto_uninstall: true,
        consent_category: 'essential',
      },
      { name: 'BackOrder checkout', kind: 'src', src: 'https://app.example.com/storefront/loader.js', visibility: 'checkout' },
      {
        name: 'BackOrder confirmation',
        kind: 'src',
        src: 'https://app.example.com/storefront/loader.js',
        visibility: 'order_confirmation',
        auto_uninstall: true,
      },
    ];
    const report = await reconcileScripts(client, { scripts: wanted });
    expect(report.updated).toEqual([{ uuid: 'u-1', name: 'BackOrder storefront', changes: ['src'] }]);
    expect(report.unchanged.map((e) => e.uuid)).toEqual(['u-2']);
    expect(report.created.map((e) => e.name)).toEqual(['BackOrder confirmation']);
    expect(report.deleted.map((e) => e.uuid)).toEqual(['u-3', 'u-4']);
    expect(writes()).toEqual(['PUT /content/scripts/u-1', 'POST /content/scripts', 'DELETE /content/scripts/u-3', 'DELETE /content/scripts/u-4']);
    expect(api!.requests.find((r) => r.method === 'PUT')!.body).toEqual({ src: 'https://app.example.com/storefront/loader.js' });

    const again = await reconcileScripts(client, { scripts: wanted });
    expect(again.unchanged).toHaveLength(3);
  });

  it('when two wanted scripts share a name, then nothing is sent and the mistake is named', async () => {
    const client = await storeWith([], []);
    const twice = { name: 'Same', kind: 'src' as const, src: 'https://a.example/x.js' };
    await expect(reconcileScripts(client, { scripts: [twice, twice] })).rejects.toThrow(/"Same"/);
    expect(api!.requests).toHaveLength(0);
  });
});
