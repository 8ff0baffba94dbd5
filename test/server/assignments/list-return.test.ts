/** Leaving Assigned Products for a product's page and coming back: the list as the merchant left it, and products named as they know them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
let session: string;
const STORE = 'listreturn1';
const variant = (id: number, sku: string, label: string) => ({
  id,
  product_id: 780,
  sku,
  option_values: [{ id, option_id: 1, option_display_name: 'Size', label }],
  inventory_level: 2,
  purchasing_disabled: false,
});

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, {
    products: [
      ...Array.from({ length: 3 }, (_, i) => bcProduct({ id: 771 + i, name: `Mug ${i + 1}` })),
      bcProduct({
        id: 780,
        name: 'Linen shirt',
        sku: 'SHIRT',
        inventory_tracking: 'variant',
        variants: [variant(7801, 'SHIRT-S', 'S'), variant(7802, 'SHIRT-M', 'M')],
      }),
    ],
  });
  session = await installed(app, fake, STORE);
  admin = adminClient(app.url, session);
  await changePlan(app.database.db, STORE, 'starter');
  for (const productId of [771, 772, 773]) await assignProduct(app.database.db, STORE, { currentStock: 1, backorderThreshold: 5 }, { productId });
});
afterAll(() => app?.stop());

describe('returning to Assigned Products', () => {
  it('when the merchant edits a product found by a search on page 2, then saving returns to that search and page', async () => {
    const list = await admin.get('/admin/products/assigned', { q: 'Mug' });
    const editLink = /href="(\/admin\/products\/772\/edit\?[^"]+)"/.exec(list.html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
    expect(new URL(editLink![1]!, app.url).searchParams.get('q')).toBe('Mug');
    const form = await admin.formOf('/admin/products/772/edit', { q: 'Mug', page: '2' });
    expect(form).toMatchObject({ q: 'Mug', page: '2' });
    const saved = await admin.post('/admin/products/772/edit', { ...form, 'p772.incomingStock': '4' });
    expect(saved.status).toBe(303);
    const back = new URL(saved.location!, app.url);
    expect([back.pathname, back.searchParams.get('q'), back.searchParams.get('page')]).toEqual(['/admin/products/assigned', 'Mug', '2']);
  });

  it('when the list is opened past its last page (products unassigned meanwhile, an old link), then it goes to the last page, keeping the search', async () => {
    const response = await fetch(`${app.url}/admin/products/assigned?${new URLSearchParams({ q: 'Mug', page: '4', session })}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const last = new URL(response.headers.get('location')!, app.url);
    expect([last.pathname, last.searchParams.get('q'), last.searchParams.get('page')]).toEqual(['/admin/products/assigned', 'Mug', '1']);
    expect((await admin.get('/admin/products/assigned', { q: 'Mug', page: '1' })).html).toContain('Mug 2');
  });

  it('when a product with variants is among those to unassign, then Bulk Unassign lists it by its name, not its first variant’s SKU', async () => {
    const assigned = await admin.post('/admin/products/780/assign', await admin.formOf('/admin/products/780/assign'));
    expect(assigned.status).toBe(303);
    await finishedJob(app.database.db, STORE, 'assign');
    const { html } = await admin.get('/admin/products/bulk-unassign', { ids: '780,771' });
    expect(html).toContain('<li>Linen shirt</li>');
    expect(html).toContain('<li>Mug 1 <code>SKU-771</code></li>');
    expect(html).not.toContain('SHIRT-S');
  });
});
