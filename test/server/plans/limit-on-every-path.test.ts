/**
 * The plan's limit holds on every way of assigning — one product, in bulk, by CSV — at every plan: with
 * one place left the product is assigned, and the next is refused with the plan's words, nothing assigned.
 * The plan is set as the store's row says (what Unified Billing's sync writes, or a change without charge).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { PLANS } from '../../../server/plans/plans.config.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { csrfIn, finishedJob, install } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignedAlready } from '../../helpers/plans.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let storeCount = 0;

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
});
afterAll(async () => {
  await app?.stop();
});

/** A store on `planId` with `assigned` products already assigned, and two more products to assign. */
async function storeWith(planId: string, assigned: number): Promise<{ storeHash: string; admin: AdminClient; session: string }> {
  const storeHash = `limit${++storeCount}`;
  fake.addStore(storeHash, { products: [bcProduct({ id: 11, name: 'Lamp', sku: 'LAMP' }), bcProduct({ id: 12, name: 'Rug', sku: 'RUG' })] });
  const { session } = await install(app.url, fake, storeHash);
  await finishedJob(app.database.db, storeHash, 'install');
  await changePlan(app.database.db, storeHash, planId);
  await assignedAlready(app.database.db, storeHash, assigned);
  return { storeHash, admin: adminClient(app.url, session), session };
}

const blank = (id: number) => ({
  [`p${id}.currentStock`]: '',
  [`p${id}.backorderThreshold`]: '',
  [`p${id}.incomingStock`]: '',
  [`p${id}.backInStockDate`]: '',
});

type Outcome = { assigned: boolean; text: string };
type Path = (store: Awaited<ReturnType<typeof storeWith>>, productId: number) => Promise<Outcome>;

const PATHS: Record<string, Path> = {
  one: async ({ admin }, id) => {
    const response = await admin.post(`/admin/products/${id}/assign`, blank(id));
    return { assigned: response.status === 303, text: response.html };
  },
  bulk: async ({ admin }, id) => {
    const response = await admin.post('/admin/products/bulk-assign', { ids: String(id), ...blank(id) });
    return { assigned: response.status === 303, text: response.html };
  },
  csv: async ({ storeHash, session }, id) => {
    const form = new FormData();
    form.append('session', session);
    form.append('_csrf', csrfIn(await (await fetch(`${app.url}/admin/imports/new?session=${session}`)).text()));
    form.append('mode', 'assign');
    form.append('file', new Blob([`product_id\n${id}\n`]), 'assign.csv');
    const sent = await fetch(`${app.url}/admin/imports`, { method: 'POST', body: form, redirect: 'manual' });
    expect(sent.status).toBe(303);
    const job = await finishedJob(app.database.db, storeHash, 'import');
    const page = await adminClient(app.url, session).get(new URL(sent.headers.get('location')!, app.url).pathname);
    return { assigned: job.status === 'succeeded', text: page.html };
  },
};

const count = (n: number) => n.toLocaleString('en-US');
const assignedCount = async (storeHash: string) =>
  (await app.database.db.selectFrom('assignments').select('id').where('store_hash', '=', storeHash).where('released_at', 'is', null).execute()).length;

describe.each(PLANS.map((plan) => [plan.name, plan] as const))('on the %s plan', (_name, plan) => {
  const limit = plan.assignedProductLimit!;
  it.each(Object.keys(PATHS))('when assigning %s with one place left, then it is assigned and the next is refused with the numbers', async (path) => {
    const store = await storeWith(plan.id, limit - 1);
    expect(await PATHS[path]!(store, 11)).toMatchObject({ assigned: true });
    expect(await assignedCount(store.storeHash)).toBe(limit);
    const refused = await PATHS[path]!(store, 12);
    expect(refused.assigned).toBe(false);
    expect(refused.text).toContain(`${count(limit)} assigned, limit ${count(limit)}: unassign 1 to assign more`);
    expect(await assignedCount(store.storeHash)).toBe(limit);
  });
});
