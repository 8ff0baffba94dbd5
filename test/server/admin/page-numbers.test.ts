/**
 * Page numbers typed or kept in a URL, on the lists paged by number (Assigned Products, the report's What to
 * reorder): past the last page the list's last page is shown, saying which it is; anything but a whole number
 * from 1 is a 400 naming the field, never page 1 under a URL that says otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
const STORE = 'pagenumbers1';
/** 60 mugs: two pages of 50. */
const MUGS = 60;
let app: TestApp;
let admin: AdminClient;
let session: string;

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: Array.from({ length: MUGS }, (_, i) => bcProduct({ id: 1001 + i, name: `Mug ${String(i + 1).padStart(2, '0')}` })) });
  session = await installed(app, fake, STORE);
  admin = adminClient(app.url, session);
  await changePlan(app.database.db, STORE, 'growth');
  for (let i = 0; i < MUGS; i++) await assignProduct(app.database.db, STORE, { currentStock: 1, backorderThreshold: 5 }, { productId: 1001 + i });
});
afterAll(() => app?.stop());

/** Where the list sends a request for `params`, without following it. */
async function redirectOf(path: string, params: Record<string, string>): Promise<{ status: number; to: URL }> {
  const response = await fetch(`${app.url}${path}?${new URLSearchParams({ ...params, session })}`, { redirect: 'manual', headers: { Accept: 'text/html' } });
  return { status: response.status, to: new URL(response.headers.get('location') ?? '/', app.url) };
}

const LISTS = [
  ['/admin/products/assigned', {}],
  ['/admin/report', { view: 'reorder' }],
] as const;

describe('a page number that is not one', () => {
  it.each(LISTS.flatMap(([path, extra]) => ['abc', '0', '-3', '1.5', '2abc', ' 2', '1e3'].map((given) => [path, given, extra] as const)))(
    'when %s is asked for page “%s”, then it answers 400 naming the field and what was given, on the admin’s error page',
    async (path, given, extra) => {
      const { status, html } = await admin.get(path, { ...extra, q: 'Mug', page: given });
      expect(status).toBe(400);
      expect(html).toContain('That did not work');
      expect(html).toContain(`page must be a whole number from 1 — you gave “${given}”.`);
    },
  );

  it('when the page is given twice, then it answers 400 saying so', async () => {
    const { status, html } = await admin.get('/admin/products/assigned', { page: ['1', '2'] });
    expect(status).toBe(400);
    expect(html).toContain('page must be a whole number from 1 — it was given more than once.');
  });

  // Guards the edge of the refusal (it passed before it, too): an empty value is no page number.
  it('when the page is empty (a form’s blank field), then the first page is shown', async () => {
    const { status, html } = await admin.get('/admin/products/assigned', { page: '' });
    expect(status).toBe(200);
    expect(html).toContain('Page 1 of 2');
    expect(html).toContain('Mug 50<');
  });
});

describe('a page past the last', () => {
  // A small number past the end is shown in list-return.test.ts; these were read as page 1.
  it.each(['100001', '99999999999999999999'])(
    'when Assigned Products is asked for page %s of 2, then it goes to page 2, keeping the search, and says which page it shows',
    async (asked) => {
      const { status, to } = await redirectOf('/admin/products/assigned', { q: 'Mug', page: asked });
      expect(status).toBe(302);
      expect([to.pathname, to.searchParams.get('q'), to.searchParams.get('page')]).toEqual(['/admin/products/assigned', 'Mug', '2']);
      const { html } = await admin.get('/admin/products/assigned', { q: 'Mug', page: '2' });
      expect(html).toContain('Page 2 of 2');
      expect(html).toContain('Mug 60');
      expect(html).not.toContain('Mug 50<');
    },
  );
});
