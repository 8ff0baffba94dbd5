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
    ['a theme not in the list', { 'storefront.themeProfile': 'shopify-dawn' }, 'Theme</strong>: Choose one of the listed themes.'],
    ['a date style not in the list', { 'storefront.backInStockDate.dateStyle': 'fancy' }, 'Date style</strong>: Choose one of the listed date styles.'],
  ])('when the merchant saves %s, then the page names the field and says what to do', async (_case, change, said) => {
    const refused = await admin.post('/admin/settings', { ...form, ...change });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain(said);
    expect(refused.html).not.toMatch(/Too (big|small)|Invalid (input|option)|expected (string|number)/);
  });
});

describe('the summary of problems', () => {
  it('when settings are refused, then each problem in the summary links to its field, which carries that id', async () => {
    const refused = await admin.post('/admin/settings', { ...form, 'inventory.defaultBackorderThreshold': 'ten', 'storefront.themeProfile': 'shopify-dawn' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<a href="#default-threshold"><strong>Default backorder threshold</strong>:');
    expect(refused.html).toMatch(/<a href="#sf-themeProfile"><strong>[^<]*Theme<\/strong>: Choose one of the listed themes\.<\/a>/);
    expect(refused.html).toMatch(/<input[^>]*id="default-threshold"/);
    expect(refused.html).toMatch(/<select[^>]*id="sf-themeProfile"/);
  });
});

describe('a refused choice', () => {
  it('when a list’s choice is refused, then the list is marked invalid and its error is read with it, after its hint', async () => {
    const refused = await admin.post('/admin/settings', {
      ...form,
      'storefront.themeProfile': 'shopify-dawn',
      'storefront.backInStockDate.dateStyle': 'fancy',
    });
    expect(refused.status).toBe(422);
    const select = (id: string) => new RegExp(`<select[^>]*id="${id}"[^>]*>`).exec(refused.html)?.[0] ?? '';
    expect(select('sf-themeProfile')).toContain('aria-invalid="true"');
    expect(select('sf-themeProfile')).toMatch(/aria-describedby="(sf-themeProfile-hint )?sf-themeProfile-error"/);
    expect(refused.html).toContain('id="sf-themeProfile-error"');
    expect(select('sf-backInStockDate-dateStyle')).toMatch(/aria-describedby="(sf-backInStockDate-dateStyle-hint )?sf-backInStockDate-dateStyle-error"/);
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
