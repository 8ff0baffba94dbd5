/**
 * Bad input at the edge: ids PostgreSQL's columns cannot hold and text PostgreSQL refuses (a NUL byte) are
 * turned away with a 4xx on every admin route and on the storefront API, never a 500. The routes are read
 * from the admin router itself, so a route added later is probed too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouter } from '../../../server/admin.router.ts';
import type { AdminDeps } from '../../../server/admin/render.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { csrfIn, finishedJob, installed } from '../../helpers/admin.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, stockOf } from '../../helpers/inventory.ts';
import { adminClient } from '../../helpers/admin-pages.ts';
import { routesOf } from '../../helpers/routes.ts';

const fake = fakeBigCommerce();
const STORE = 'badinput1';
let app: TestApp;
let session: string;
let anvil: { id: number };

const routes = routesOf(adminRouter({} as AdminDeps));
const withParams = routes.filter((r) => r.path.includes(':'));
/** Ids no column can hold, or that are not ids at all. */
const BAD_IDS = ['9999999999', '2147483648', '99999999999999999999', '0', '-1', '1e3', 'abc'];

async function call(method: string, path: string, fields: Record<string, string> = {}): Promise<Response> {
  if (method === 'GET') {
    return fetch(`${app.url}${path}?${new URLSearchParams({ session, ...fields })}`, { headers: { Accept: 'text/html' } });
  }
  const page = await (await fetch(`${app.url}/admin/settings?session=${session}`)).text();
  return fetch(`${app.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: new URLSearchParams({ session, _csrf: csrfIn(page), ...fields }).toString(),
  });
}

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: [bcProduct({ id: 801, name: 'Kettle', sku: 'KETTLE-1' }), bcProduct({ id: 802, name: 'Anvil', sku: 'ANVIL-1' })] });
  session = await installed(app, fake, STORE);
  await assignProduct(app.database.db, STORE, { currentStock: 2, backorderThreshold: 5 }, { productId: 801 });
  anvil = await assignProduct(app.database.db, STORE, { currentStock: 500_000_000, backorderThreshold: 5 }, { productId: 802 });
});
afterAll(() => app?.stop());

describe('ids outside what the columns hold', () => {
  it('when the router is read, then it has routes taking ids to probe', () => {
    expect(withParams.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/admin/products/:productId/edit', '/admin/jobs/:jobId', '/admin/imports/:importId']),
    );
  });

  it.each(withParams.map((r) => [r.method, r.path] as const))(
    'when %s %s is given an id no column holds, then it answers 404 naming nothing found, not 500',
    async (method, path) => {
      for (const id of BAD_IDS) {
        const response = await call(method, path.replace(/:\w+/g, id));
        const body = await response.text();
        expect(response.status, `${method} ${path} with ${id}: ${body.slice(0, 300)}`).toBe(404);
        expect(body).toMatch(/There is no such|There is no|not assigned/);
      }
    },
  );

  it.each(routes.filter((r) => /bulk/.test(r.path)).map((r) => [r.method, r.path] as const))(
    'when %s %s lists ids no column holds, then they are not products: no 500',
    async (method, path) => {
      const response = await call(method, path, { ids: '9999999999,801' });
      expect(response.status).toBeLessThan(500);
      const only = await call(method, path, { ids: '9999999999' });
      expect(only.status).toBeLessThan(500);
    },
  );

  it.each(['/admin/products', '/admin/report'])('when %s is paged from a cursor no row can have, then it shows the first page, not 500', async (path) => {
    for (const cursor of BAD_IDS) {
      for (const side of ['after', 'before']) {
        const response = await call('GET', path, { [side]: cursor });
        expect(response.status, `${path}?${side}=${cursor}: ${(await response.clone().text()).slice(0, 300)}`).toBe(200);
        if (path === '/admin/products') expect(await response.text()).toContain('Kettle');
      }
    }
  });

  it('when the storefront API is asked about an id no product can have, then it answers 400 naming the parameter, cacheable, and logs no error', async () => {
    const errorsBefore = app.logLines.filter((l) => l.includes('"level":50')).length;
    for (const products of ['9999999999', '801,2147483648']) {
      const response = await fetch(`${app.url}/storefront-api/v1/stores/${STORE}/availability?products=${products}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toBe('products: every id must be a whole number from 1 to 2147483647');
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=/);
    }
    expect(app.logLines.filter((l) => l.includes('"level":50')).length).toBe(errorsBefore);
  });
});

describe('a stock the column cannot hold', () => {
  it('when an edit form says it showed a stock far below the present one, then the move is refused naming the field, not a 500', async () => {
    const admin = adminClient(app.url, session);
    const form = await admin.formOf('/admin/products/802/edit');
    // The page showed 500,000,000; a tampered form says -1,000,000,000: typing 1,000,000,000 would add 2,000,000,000.
    const response = await admin.post('/admin/products/802/edit', { ...form, 'p802.shown.currentStock': '-1000000000', 'p802.currentStock': '1000000000' });
    expect(response.status).toBe(422);
    expect(response.html).toMatch(/id="p802-problems"><li[^>]*>current stock: would be 2,500,000,000: more than 1,000,000,000\. Open this page again/);
    expect((await stockOf(app.database.db, anvil.id)).currentStock).toBe(500_000_000);
  });
});

describe('a NUL byte in search', () => {
  it.each(['/admin/products', '/admin/products/assigned', '/admin/report'])(
    'when %s is searched with a NUL byte, then the list answers as for the search without it',
    async (path) => {
      const response = await call('GET', path, { q: '\0' });
      expect(response.status).toBe(200);
      const withText = await call('GET', path, { q: 'Ket\0tle' });
      expect(withText.status).toBe(200);
      if (path !== '/admin/report') expect(await withText.text()).toContain('Kettle');
    },
  );

  it.each(routes.map((r) => [r.method, r.path] as const))('when %s %s gets a NUL byte in every field, then it answers below 500', async (method, path) => {
    const url = path.replace(/:\w+/g, '801');
    // Every field the route's page has (the form a POST comes from), and the lists' parameters.
    const page = routes.some((r) => r.method === 'GET' && r.path === path) ? await (await call('GET', url)).text() : '';
    const names = new Set(['q', 'page', 'ids', 'mode', 'show', 'visibility', ...[...page.matchAll(/name="([^"]+)"/g)].map((m) => m[1]!)]);
    names.delete('session');
    names.delete('_csrf');
    const fields = Object.fromEntries([...names].map((name) => [name, 'a\0b']));
    const response = await call(method, url, fields);
    expect(response.status, `${method} ${path}: ${(await response.text()).slice(0, 300)}`).toBeLessThan(500);
    for (const kind of ['catalog-sync', 'release-all', 'sync', 'assign', 'unassign'] as const) {
      const open = await app.database.db.selectFrom('jobs').select('id').where('store_hash', '=', STORE).where('kind', '=', kind).executeTakeFirst();
      if (open) await finishedJob(app.database.db, STORE, kind);
    }
  });
});
