/**
 * One deployment, many stores: a session of store A must neither read nor change anything of store B, on
 * every admin route. The routes are read from the admin router itself, so a route added later is probed
 * too; a route with a parameter this test does not know fails until the test learns it.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouter } from '../../../server/admin.router.ts';
import type { AdminDeps } from '../../../server/admin/render.ts';
import type { Db } from '../../../server/db/database.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { insertImport } from '../../../server/imports/imports.repo.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { STORE_TABLES } from '../../../server/stores/store-purge.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { csrfIn, finishedJob, install } from '../../helpers/admin.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, orderFor, stockDeps } from '../../helpers/inventory.ts';
import { routesOf } from '../../helpers/routes.ts';

const MARK = 'BSECRET';
const fake = fakeBigCommerce();
let app: TestApp;
let sessionA: string;
let sessionB: string;
const idsOfB: Record<string, string> = {};

async function snapshot(db: Db, storeHash: string): Promise<string> {
  const hash = createHash('sha256');
  // The billing ledger outlives a purge, so it is not one of the purged tables; it is the store's all the same.
  for (const table of [...STORE_TABLES, 'billing_charges'] as const) {
    const { rows } = await sql`select * from ${sql.table(table)} where store_hash = ${storeHash} order by 1, 2`.execute(db);
    hash.update(`${table}:${JSON.stringify(rows)}\n`);
  }
  return hash.digest('hex');
}

async function populate(storeHash: string, mark: string) {
  const store = fake.addStore(storeHash, {
    products: [bcProduct({ name: `${mark} Jar`, sku: `${mark}-1` }), bcProduct({ name: `${mark} Mug`, sku: `${mark}-2` })],
  });
  store.information = { ...store.information, name: `${mark} Store` };
  const { session } = await install(app.url, fake, storeHash);
  await finishedJob(app.database.db, storeHash, 'install');
  const item = await assignProduct(app.database.db, storeHash, { currentStock: 0, backorderThreshold: 10 }, { productId: store.products[0]!.id });
  await convergeOrder(stockDeps(app.database.db), storeHash, {
    ...orderFor(item, 2),
    lines: [{ ...orderFor(item, 2).lines[0]!, name: `${mark} Jar`, sku: `${mark}-1` }],
  });
  await updateSettings(app.database.db, storeHash, { orderNote: { message: `${mark} note` } });
  await changePlan(app.database.db, storeHash, 'starter');
  return { session, store };
}

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  sessionA = (await populate('storea', 'AVISIBLE')).session;
  const b = await populate('storeb', MARK);
  sessionB = b.session;
  const job = await app.database.db.selectFrom('jobs').select('id').where('store_hash', '=', 'storeb').executeTakeFirstOrThrow();
  idsOfB.jobId = String(job.id);
  idsOfB.productId = String(b.store.products[0]!.id);
  idsOfB.ids = `${b.store.products[0]!.id},${b.store.products[1]!.id}`;
  idsOfB.importId = String(
    await insertImport(app.database.db, {
      storeHash: 'storeb',
      mode: 'update',
      columns: ['current_stock'],
      filename: `${MARK}.csv`,
      content: Buffer.from(`sku\n${MARK}-1\n`),
    }),
  );
});
afterAll(async () => {
  await app?.stop();
});

const routes = routesOf(adminRouter({} as AdminDeps));

function pathFor(path: string): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = idsOfB[name];
    if (value === undefined) throw new Error(`The isolation test does not know the route parameter :${name}; add store B's value for it`);
    return value;
  });
}

describe('store isolation on every admin route', () => {
  it('when the admin router is read, then it lists the routes this test must probe', () => {
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    expect(listed).toEqual(expect.arrayContaining(['GET /admin/products', 'GET /admin/settings', 'POST /admin/settings', 'GET /admin/jobs/:jobId']));
    expect(listed.length).toBeGreaterThanOrEqual(9);
  });

  it("when store B's own session reads its pages, then its marked data is on them (the probe can see a leak)", async () => {
    for (const path of [
      '/admin/products',
      '/admin/products/assigned',
      '/admin/report',
      pathFor('/admin/products/:productId/edit'),
      pathFor('/admin/imports/:importId'),
    ]) {
      expect(await (await fetch(`${app.url}${path}?session=${sessionB}`)).text()).toContain(MARK);
    }
    // Opening its import's page starts the run that reads the file: let it end before B's rows are compared.
    await finishedJob(app.database.db, 'storeb', 'import');
  });

  it.each(routes.map((r) => [r.method, r.path] as const))(
    "when store A's session calls %s %s with store B's ids, then nothing of B is read or changed",
    async (method, path) => {
      const before = await snapshot(app.database.db, 'storeb');
      const url = `${app.url}${pathFor(path)}`;
      let response: Response;
      if (method === 'GET') {
        // A search for part of B's marker: the page echoes the search, never the marker unless B's rows leak.
        response = await fetch(`${url}?session=${sessionA}&q=${MARK.slice(1)}&store_hash=storeb&ids=${idsOfB.ids}`, { headers: { Accept: 'text/html' } });
      } else {
        const page = await (await fetch(`${app.url}/admin/settings?session=${sessionA}`)).text();
        response = await fetch(url, {
          method,
          redirect: 'manual',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
          body: new URLSearchParams({ session: sessionA, _csrf: csrfIn(page), store_hash: 'storeb', storeHash: 'storeb', ...idsOfB }).toString(),
        });
      }
      const body = await response.text();
      expect(response.status).toBeLessThan(500);
      expect(body).not.toContain(MARK);
      expect(body).not.toContain('storeb');
      // Work queued by the request (sync, release) runs for A only; let it finish before comparing.
      for (const kind of ['catalog-sync', 'release-all', 'sync', 'assign', 'unassign', 'import'] as const) {
        const open = await app.database.db.selectFrom('jobs').select('id').where('store_hash', '=', 'storea').where('kind', '=', kind).executeTakeFirst();
        if (open) await finishedJob(app.database.db, 'storea', kind);
      }
      expect(await snapshot(app.database.db, 'storeb')).toBe(before);
    },
  );

  it("when store A asks for store B's job by id, then it is not found", async () => {
    const response = await fetch(`${app.url}/admin/jobs/${idsOfB.jobId}?session=${sessionA}`, { headers: { Accept: 'application/json' } });
    expect(response.status).toBe(404);
    const own = await fetch(`${app.url}/admin/jobs/${idsOfB.jobId}?session=${sessionB}`, { headers: { Accept: 'application/json' } });
    expect(own.status).toBe(200);
  });
});
