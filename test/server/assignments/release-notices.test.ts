/** The "Unassigned by BackOrder" notice on Assigned Products: it says who did what, and each notice can be dismissed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseAssignment } from '../../../server/assignments/assignments.repo.ts';
import { TRACKING_TURNED_ON } from '../../../server/assignments/catalog-events.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'notices1';

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: [bcProduct({ id: 751, name: 'Teapot' }), bcProduct({ id: 752, name: 'Kettle' })] });
  admin = adminClient(app.url, await installed(app, fake, STORE));
  for (const productId of [751, 752]) {
    const item = await assignProduct(app.database.db, STORE, { currentStock: 1, backorderThreshold: 5 }, { productId });
    await releaseAssignment(app.database.db, STORE, item.assignment_id, TRACKING_TURNED_ON);
  }
});
afterAll(() => app?.stop());

const notices = async () => [...(await admin.get('/admin/products/assigned')).html.matchAll(/<li><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);

describe('products BackOrder unassigned by itself', () => {
  it('when tracking was turned back on in BigCommerce, then the notice says who did it and what BackOrder did', async () => {
    const { html } = await admin.get('/admin/products/assigned');
    expect(html).toMatch(/Unassigned by BackOrder[\s\S]*BackOrder unassigned these products by itself, after a change made in BigCommerce/);
    expect(html).toContain(
      'Someone other than BackOrder (a person in the control panel, or another app) turned its inventory tracking back on in BigCommerce, so BackOrder unassigned it',
    );
  });

  it('when the merchant dismisses one notice, then only that one goes; “Dismiss all” clears the rest', async () => {
    expect((await notices()).sort()).toEqual(['Kettle', 'Teapot']);
    const teapot = await app.database.db
      .selectFrom('assignments')
      .select('id')
      .where('store_hash', '=', STORE)
      .where('product_id', '=', 751)
      .executeTakeFirstOrThrow();
    // An id that names no notice (a form tampered with, a notice gone) dismisses nothing: not all of them.
    for (const ids of ['abc', '99999999999999999999', '-1']) {
      expect((await admin.post('/admin/products/releases/dismiss', { ids }, '/admin/products/assigned')).status).toBe(303);
      expect((await notices()).sort()).toEqual(['Kettle', 'Teapot']);
    }
    const dismissed = await admin.post('/admin/products/releases/dismiss', { ids: String(teapot.id) }, '/admin/products/assigned');
    expect(dismissed.status).toBe(303);
    expect(await notices()).toEqual(['Kettle']);
    await admin.post('/admin/products/releases/dismiss', {}, '/admin/products/assigned');
    expect(await notices()).toEqual([]);
    expect((await admin.get('/admin/products/assigned')).html).not.toContain('Unassigned by BackOrder');
  });
});
