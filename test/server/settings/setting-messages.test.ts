/** What the merchant reads when a setting is refused: the field's label and a sentence written for them, never a validator's. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOREFRONT_GROUPS } from '../../../server/settings/storefront-form-groups.ts';
import { storefrontFieldLabels } from '../../../server/settings/storefront-form.ts';
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

describe('field names in messages', () => {
  it('when the language is malformed, then the message names the field once: “Language”, not “Language: Language”', async () => {
    const refused = await admin.post('/admin/settings', { ...form, 'storefront.locale': 'not a locale!!' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<strong>Language</strong>: Use a language tag such as en-US, or leave it empty.');
    expect(refused.html).not.toContain('Language: Language');
  });

  it('when any storefront field is named, then its label never repeats the word its section’s title ends with', () => {
    const names = storefrontFieldLabels();
    const word = (w: string) => w.toLowerCase().replace(/s$/, '');
    for (const section of STOREFRONT_GROUPS.flatMap((group) => group.sections)) {
      const head = word(section.title.split(' ').at(-1)!);
      for (const field of section.fields) {
        const name = names[`storefront.${field.path}`]!;
        const rest = name.startsWith(`${section.title}: `) ? name.slice(section.title.length + 2) : undefined;
        if (rest === undefined) expect(name, field.path).toBe(field.label);
        else expect(rest.split(/[^\p{L}-]+/u).map(word), name).not.toContain(head);
      }
    }
  });
});
