/**
 * Bulk Unassign (4.2) when the products ticked change under the merchant: some no longer assigned when the
 * page opens, one unassigned between the page and its post, and the same form posted twice (a double click,
 * the back button).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../server/bigcommerce/index.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'bulkunassign1';
const IDS = [601, 602, 603, 604, 605, 606, 607];

/** The Bulk Unassign form as the page shows it for `ids`, as the browser would post it. */
const unassignForm = (ids: number[]) => admin.formOf('/admin/products/bulk-unassign', { ids: ids.map(String) }, 'data-unassign-form');

/** Unassigns one product as another admin would, and lets BigCommerce take it back. */
async function unassignedElsewhere(productId: number) {
  expect((await admin.post(`/admin/products/${productId}/unassign`, { restoreTracking: 'on' })).status).toBe(303);
  await finishedJob(app.database.db, STORE, 'unassign');
  await admin.get('/admin/products/assigned'); // takes its flash
}

/** The messages the next page shows after the posts (the session's flashes). */
const flashes = async () =>
  [...(await admin.get('/admin/products/assigned')).html.matchAll(/<p class="bo-flash bo-flash--\w+" role="\w+">([^<]*)<\/p>/g)].map((m) => m[1]);

const stateOf = async (productId: number) =>
  (
    await app.database.db
      .selectFrom('assignments')
      .select(['state', 'released_at'])
      .where('store_hash', '=', STORE)
      .where('product_id', '=', productId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
  ).released_at === null
    ? 'assigned'
    : 'released';

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: IDS.map((id) => bcProduct({ id, name: `Vase ${id}`, sku: `VASE-${id}`, inventory_level: 3 })) });
  admin = adminClient(app.url, await installed(app, fake, STORE));
  await changePlan(app.database.db, STORE, 'starter');
  const blank = Object.fromEntries(
    IDS.flatMap((id) => [`p${id}.currentStock`, `p${id}.backorderThreshold`, `p${id}.incomingStock`, `p${id}.backInStockDate`].map((f) => [f, ''])),
  );
  expect((await admin.post('/admin/products/bulk-assign', { ids: IDS.join(','), ...blank })).status).toBe(303);
  await finishedJob(app.database.db, STORE, 'assign');
  await admin.get('/admin/products/assigned');
});
afterAll(async () => {
  await app?.stop();
});

describe('Bulk Unassign with products no longer assigned', () => {
  it('when a ticked product is no longer assigned, then the page leaves it out saying why, carries only the products it shows, and unassigns them', async () => {
    await unassignedElsewhere(602);

    const page = await admin.get('/admin/products/bulk-unassign', { ids: ['601', '602', '999999'] });

    expect(page.html).toMatch(/Unassign 1 product from BackOrder/);
    expect(page.html).toMatch(/Left out: Vase 602 is not assigned to BackOrder; product 999999 is not in the catalog\./);
    const form = await unassignForm([601, 602, 999999]);
    expect(form.ids).toBe('601');
    expect((await admin.post('/admin/products/bulk-unassign', form)).status).toBe(303);
    expect(await flashes()).toEqual(['1 product unassigned: BigCommerce is being handed it back; the progress shows below.']);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect(await stateOf(601)).toBe('released');
  });

  it('when a product confirmed on the page is unassigned before the form is sent, then the rest are unassigned and the message names it as already unassigned', async () => {
    const form = await unassignForm([603, 604]);
    expect(form.ids).toBe('603,604');
    await unassignedElsewhere(604);

    const sent = await admin.post('/admin/products/bulk-unassign', form);

    expect(sent.status).toBe(303);
    expect(await flashes()).toEqual(['1 product unassigned: BigCommerce is being handed it back; the progress shows below. Vase 604 was unassigned already.']);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect(await stateOf(603)).toBe('released');
  });
});

describe('the same Bulk Unassign form posted again', () => {
  it('when it is sent twice at once (a double click) and again later (the back button), then every answer is the first one', async () => {
    const form = await unassignForm([605, 606]);

    const [first, second] = await Promise.all([admin.post('/admin/products/bulk-unassign', form), admin.post('/admin/products/bulk-unassign', form)]);

    expect([first.status, second.status]).toEqual([303, 303]);
    const unassigned = '2 products unassigned: BigCommerce is being handed them back; the progress shows below.';
    expect(await flashes()).toEqual([unassigned, unassigned]);
    await finishedJob(app.database.db, STORE, 'unassign');
    expect([await stateOf(605), await stateOf(606)]).toEqual(['released', 'released']);

    const again = await admin.post('/admin/products/bulk-unassign', form);

    expect(again.status).toBe(303);
    expect(await flashes()).toEqual([unassigned]);
  });

  it('when BigCommerce refused the unassign for good, then sending the same form again unassigns the product again', async () => {
    const form = await unassignForm([607]);
    fake.failWritesOf(607, new ValidationError({ status: 422, title: 'The product is locked', context: { method: 'PUT', path: '/v3/catalog/products' } }));
    expect((await admin.post('/admin/products/bulk-unassign', form)).status).toBe(303);
    expect((await finishedJob(app.database.db, STORE, 'unassign', 30_000)).status).toBe('failed');
    expect(await stateOf(607)).toBe('assigned');
    await flashes();
    fake.failWritesOf(607, undefined);

    expect((await admin.post('/admin/products/bulk-unassign', form)).status).toBe(303);

    expect(await flashes()).toEqual(['1 product unassigned: BigCommerce is being handed it back; the progress shows below.']);
    expect((await finishedJob(app.database.db, STORE, 'unassign', 30_000)).status).toBe('succeeded');
    expect(await stateOf(607)).toBe('released');
  });

  it('when a form without its key is sent after its products were unassigned, then it says so plainly instead of “page not found”', async () => {
    const sent = await admin.post('/admin/products/bulk-unassign', { ids: '605,606', restoreTracking: 'on' });

    expect(sent.status).toBe(303);
    expect(await flashes()).toEqual(['Nothing to unassign: Vase 605 and Vase 606 were unassigned already.']);
  });
});
