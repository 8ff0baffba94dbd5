/**
 * The default backorder threshold on the assign side: asked for on first use (its built-in 0 lets nothing
 * be backordered), shown on the assign form once chosen, and a warning whenever products are assigned with 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'defaults1';

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: [bcProduct({ id: 701, name: 'Teapot', inventory_level: 3 }), bcProduct({ id: 702, name: 'Kettle', inventory_level: 1 })] });
  admin = adminClient(app.url, await installed(app, fake, STORE));
});
afterAll(() => app?.stop());

const thresholdInput = (html: string, key: string) => new RegExp(`name="${key}.backorderThreshold" value="([^"]*)"`).exec(html)?.[1];
const zeroWarningShown = (html: string) => /data-zero-warning(?! hidden)/.test(html);

describe('the default backorder threshold, asked for on first use', () => {
  it('when the merchant first opens an assign form, then it asks for the default threshold, suggesting 10, and warns that 0 takes no backorder', async () => {
    const { html } = await admin.get('/admin/products/701/assign');
    expect(html).toContain('First, choose your default backorder threshold');
    expect(html).toMatch(/name="defaultBackorderThreshold" value="10"/);
    expect(thresholdInput(html, 'p701')).toBe('0');
    expect(zeroWarningShown(html)).toBe(true);
  });

  it('when the merchant gives a default that is not a number, then nothing is saved and the form says why, naming the field', async () => {
    const refused = await admin.post('/admin/products/default-threshold', { defaultBackorderThreshold: 'ten', returnTo: '/admin/products/701/assign' });
    expect(refused.status).toBe(303);
    expect(new URL(refused.location!, app.url).pathname).toBe('/admin/products/701/assign');
    expect((await admin.get('/admin/products/701/assign')).html).toContain('Default backorder threshold: &quot;ten&quot; is not a whole number');
    expect((await getSettings(app.database.db, STORE)).inventory.defaultBackorderThreshold).toBe(0);
  });

  it('when the merchant gives a default beyond what Settings allows, then nothing is saved and the assign form says so, naming the field', async () => {
    const refused = await admin.post('/admin/products/default-threshold', { defaultBackorderThreshold: '2000000', returnTo: '/admin/products/701/assign' });
    expect(refused.status).toBe(303);
    expect(new URL(refused.location!, app.url).pathname).toBe('/admin/products/701/assign');
    expect((await admin.get('/admin/products/701/assign')).html).toContain(
      'Default backorder threshold: 2,000,000 is more than a default may be (at most 1,000,000); tick Unlimited for no limit. Nothing was saved.',
    );
    expect((await getSettings(app.database.db, STORE)).inventory.defaultBackorderThreshold).toBe(0);
  });

  it('when the merchant chooses the suggestion, then the form stops asking, its rows start with it, and it says so', async () => {
    const chosen = await admin.post('/admin/products/default-threshold', {
      defaultBackorderThreshold: '10',
      returnTo: '/admin/products/bulk-assign?ids=701,702',
    });
    expect(new URL(chosen.location!, app.url).search).toMatch(/^\?ids=701%2C702&session=|^\?ids=701,702&session=/);
    expect((await getSettings(app.database.db, STORE)).inventory.defaultBackorderThreshold).toBe(10);
    const { html } = await admin.get('/admin/products/bulk-assign', { ids: '701,702' });
    expect(html).not.toContain('First, choose your default backorder threshold');
    expect(html).toContain('Backorder threshold starts at your default: <strong>10</strong>');
    expect([thresholdInput(html, 'p701'), thresholdInput(html, 'p702')]).toEqual(['10', '10']);
    expect(zeroWarningShown(html)).toBe(false);
  });

  it('when the merchant assigns a product with a threshold of 0, then the list warns that it cannot be backordered', async () => {
    const saved = await admin.post('/admin/products/701/assign', { ...(await admin.formOf('/admin/products/701/assign')), 'p701.backorderThreshold': '0' });
    expect(saved.status).toBe(303);
    const list = await admin.get('/admin/products/assigned');
    expect(list.html).toContain('Teapot is assigned.');
    expect(list.html).toContain('Assigned with a backorder threshold of 0: Teapot. Nothing of it can be backordered');
  });
});
