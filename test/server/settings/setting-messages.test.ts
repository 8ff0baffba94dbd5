/** What the merchant reads when a setting is refused: the field's label and a sentence written for them, never a validator's. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore('messages1', { products: [] });
  admin = adminClient(app.url, await installed(app, fake, 'messages1'));
});
afterAll(() => app?.stop());

const form = {
  'inventory.defaultBackorderThreshold': '0',
  'orderNote.enabled': 'on',
  'orderNote.target': 'staff_notes',
  'orderNote.message': 'This order contains backordered items:',
  'storefront.enabled': 'on',
  'storefront.themeProfile': 'cornerstone',
};

describe('refused settings, in the merchant’s words', () => {
  it.each([
    ['an order note over 500 characters', { 'orderNote.message': 'x'.repeat(501) }, 'BackOrder message</strong>: Use at most 500 characters.'],
    ['an empty order note', { 'orderNote.message': '   ' }, 'BackOrder message</strong>: Enter a text.'],
    [
      'a threshold past the largest',
      { 'inventory.defaultBackorderThreshold': '2000000' },
      'Default backorder threshold</strong>: Enter at most 1,000,000, or tick Unlimited.',
    ],
    ['no place for the note', { 'orderNote.target': 'email' }, 'Where the note goes</strong>: Choose the staff notes or the customer’s message.'],
  ])('when the merchant saves %s, then the page names the field and says what to do', async (_case, change, said) => {
    const refused = await admin.post('/admin/settings', { ...form, ...change });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain(said);
    expect(refused.html).not.toMatch(/Too (big|small)|Invalid (input|option)|expected (string|number)/);
  });
});
