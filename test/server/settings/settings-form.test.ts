/**
 * The Settings tab's storefront groups through the form, as the merchant's browser posts it: every field of
 * the storefront settings editable under its schema path, every validation rule named on the field with
 * what was typed kept, groups reset to their defaults, contrast warnings, and merchant text shown as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../server/settings/settings.schema.ts';
import { getSettings, updateSettings } from '../../../server/settings/settings.service.ts';
import { placeholdersIn, storefrontTexts } from '../../../server/settings/storefront-settings.schema.ts';
import { csrfIn, install } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { settingsForm, storefrontLeafPaths } from '../../helpers/settings-form.ts';

const fake = fakeBigCommerce();
const STORE = 'sform1';
let app: TestApp;
let session: string;

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory(50) });
  fake.addStore(STORE, { products: [bcProduct({ name: 'Kettle' })] });
  session = (await install(app.url, fake, STORE)).session;
});
afterAll(async () => {
  await app?.stop();
});

async function settingsPage(): Promise<string> {
  const response = await fetch(`${app.url}/admin/settings?session=${session}`, { headers: { Accept: 'text/html' } });
  expect(response.status).toBe(200);
  return response.text();
}

/** Posts the page's form as it stands with `changes` typed in; `extra` pairs are added (a pressed button). */
async function submit(changes: Record<string, string | boolean>, extra: Array<[string, string]> = [], path = '/admin/settings') {
  const html = await settingsPage();
  const body = new URLSearchParams([['session', session], ['_csrf', csrfIn(html)], ...settingsForm(html).post(changes), ...extra]);
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: body.toString(),
  });
  return { status: response.status, html: await response.text() };
}

const reset = () => app.database.db.deleteFrom('store_settings').where('store_hash', '=', STORE).execute();

describe('the Settings tab’s storefront groups', () => {
  it('when the Settings page opens, then every storefront setting is a field named by its schema path, in the merchant’s groups', async () => {
    await reset();
    const html = await settingsPage();
    const names = settingsForm(html).names();
    for (const path of storefrontLeafPaths()) expect(names, path).toContain(path);
    for (const group of ['Theme', 'Product page', 'Add to Cart action', 'Cart page', 'Product cards', 'Checkout and confirmation', 'Language and dates']) {
      expect(html).toContain(`>${group}</h2>`);
    }
    expect(settingsForm(html).value('storefront.inventoryDescription.backorderText')).toBe(DEFAULT_SETTINGS.storefront.inventoryDescription.backorderText);
    // Each text lists the placeholders it accepts, insertable with a click.
    expect(html).toMatch(/data-insert="\{backordered\}" data-target="sf-quantityMessage-backorderedText"/);
    expect(html).not.toMatch(/data-insert="\{date\}" data-target="sf-quantityMessage-backorderedText"/);
  });

  it('when the Cart page group opens, then the text screen readers hear for a line no longer backordered is there with its default, its hint and its placeholders, and is saved as typed', async () => {
    await reset();
    const html = await settingsPage();
    expect(settingsForm(html).value('storefront.cartMessage.inStockText')).toBe('None will be backordered now.');
    expect(html).toContain('Not shown. Read out after the line’s name');
    expect(html).toMatch(/data-insert="\{quantity\}" data-target="sf-cartMessage-inStockText"/);
    expect(html).not.toMatch(/data-insert="\{name\}" data-target="sf-cartMessage-inStockText"/);
    expect((await submit({ 'storefront.cartMessage.inStockText': 'All {quantity} ship today.' })).status).toBe(303);
    const { storefront } = await getSettings(app.database.db, STORE);
    expect(storefront.cartMessage).toEqual({ ...DEFAULT_SETTINGS.storefront.cartMessage, inStockText: 'All {quantity} ship today.' });
  });

  it('when a text in every group, both button colours and a switch change and the form is saved, then exactly those are stored', async () => {
    await reset();
    const changes = {
      'storefront.themeProfile': 'halothemes',
      'storefront.inventoryDescription.backorderText': 'On backorder now',
      'storefront.addToCartButton.backgroundColor': '#123456',
      'storefront.addToCartButton.textColor': '#fefefe',
      'storefront.quantityMessage.backorderedText': '{backordered} ship later',
      'storefront.cartMessage.overLimitText': 'Max {salable}',
      'storefront.badge.backorderText': 'Soon',
      'storefront.checkoutNotice.lineText': '{name} ×{backordered}',
      'storefront.locale': 'fr-FR',
      'storefront.shippingDescription.enabled': false,
    };
    const saved = await submit(changes);
    expect(saved.status).toBe(303);
    const { storefront } = await getSettings(app.database.db, STORE);
    expect(storefront).toMatchObject({
      themeProfile: 'halothemes',
      inventoryDescription: { backorderText: 'On backorder now' },
      addToCartButton: { backgroundColor: '#123456', textColor: '#fefefe' },
      quantityMessage: { backorderedText: '{backordered} ship later' },
      cartMessage: { overLimitText: 'Max {salable}' },
      badge: { backorderText: 'Soon' },
      checkoutNotice: { lineText: '{name} ×{backordered}' },
      locale: 'fr-FR',
      shippingDescription: { enabled: false },
    });
    const stored = await app.database.db.selectFrom('store_settings').select('overrides').where('store_hash', '=', STORE).executeTakeFirstOrThrow();
    expect(Object.keys((stored.overrides as { storefront: object }).storefront).sort()).toEqual(
      [
        'addToCartButton',
        'badge',
        'cartMessage',
        'checkoutNotice',
        'inventoryDescription',
        'locale',
        'quantityMessage',
        'shippingDescription',
        'themeProfile',
      ].sort(),
    );
    // Shown again as saved, the switch unticked.
    const form = settingsForm(await settingsPage());
    expect(form.value('storefront.shippingDescription.enabled')).toBe(false);
    expect(form.value('storefront.checkoutNotice.lineText')).toBe('{name} ×{backordered}');
  });

  it.each([
    [
      'an unknown placeholder',
      'storefront.quantityMessage.backorderedText',
      '{backordered} of {qty}',
      'Quantity messages: Some units backordered',
      /Only these placeholders can be used here: \{quantity\}/,
    ],
    [
      'a placeholder the text does not take',
      'storefront.cartMessage.backorderedText',
      'You have {inCart}',
      'Cart line messages: Some units backordered',
      /Only these placeholders/,
    ],
    [
      'a missing required placeholder',
      'storefront.backInStockDate.text',
      'Back soon.',
      'Shipping description: Back-in-stock date sentence',
      /Include \{date\}/,
    ],
    [
      'a cart line’s heard text with a placeholder it does not take',
      'storefront.cartMessage.inStockText',
      '{name} ships now',
      'Cart line messages: No longer backordered (heard by screen readers)',
      /Only these placeholders can be used here: \{quantity\}, \{backordered\}, \{onHand\}, \{salable\}\./,
    ],
    [
      'an empty cart line’s heard text',
      'storefront.cartMessage.inStockText',
      ' ',
      'Cart line messages: No longer backordered (heard by screen readers)',
      /Enter a text/,
    ],
    ['a text past 200 characters', 'storefront.badge.backorderText', 'x'.repeat(201), 'Badge: On backorder', /at most 200 characters/],
    ['an empty required text', 'storefront.checkoutNotice.checkoutHeading', '  ', 'Checkout notice: Heading at checkout', /Enter a text/],
    ['a colour that is not hex', 'storefront.addToCartButton.backgroundColor', 'orange', 'Add to Cart button: Background colour', /Use a hex colour/],
    ['a bad badge colour', 'storefront.badge.textColor', '#12345', 'Badge: Text colour', /Use a hex colour/],
    ['a selector with markup', 'storefront.customSelectors.cartRow', 'tr"><script>', 'Custom theme selectors: Cart row', /Enter a CSS selector/],
    ['a selector past 300 characters', 'storefront.customSelectors.card', `.c${'x'.repeat(300)}`, 'Custom theme selectors: Card', /at most 300 characters/],
    ['a malformed locale', 'storefront.locale', 'english please', 'Language', /language tag/],
    // PostgreSQL cannot store a NUL: refused by name, never a failed save that loses the form.
    [
      'a NUL character in a text',
      'storefront.badge.backorderText',
      'Pre-order\0 now',
      'Badge: On backorder',
      /^Remove the invisible NUL character \(U\+0000\) after “Pre-order”\.$/,
    ],
    [
      'a control character in a selector',
      'storefront.customSelectors.card',
      '.card\u001b',
      'Custom theme selectors: Card',
      /^Remove the invisible control character U\+001B after “\.card”\.$/,
    ],
    [
      'a tab in a one-line text',
      'storefront.addToCartButton.text',
      'Pre-order\tnow',
      'Add to Cart button: Text',
      /^Remove the tab after “Pre-order”: this text is a single line\.$/,
    ],
    [
      'a NUL character in the selling-stopped message',
      'inventory.sellingStoppedMessage',
      '\0Sold out',
      'Message when selling stops',
      /^Remove the invisible NUL character \(U\+0000\) at the start\.$/,
    ],
    [
      'a NUL character in the order note',
      'orderNote.message',
      'Ships later:\r\n\0',
      'BackOrder message',
      /^Remove the invisible NUL character \(U\+0000\) after “Ships later: ”\.$/,
    ],
  ])(
    'when the form carries %s, then the field is named, what was typed stays in the whole form, and nothing is saved',
    async (_case, name, typed, label, message) => {
      await reset();
      const other = 'storefront.inventoryDescription.soldOutText';
      const response = await submit({ [name]: typed, [other]: 'Gone for now' });
      expect(response.status).toBe(422);
      expect(response.html).toContain('The settings were not saved');
      const form = settingsForm(response.html);
      expect(response.html).toContain(`<strong>${label}</strong>`);
      expect(form.problemOf(name)).toMatch(message);
      expect(form.value(name)).toBe(typed);
      expect(form.value(other)).toBe('Gone for now');
      expect(await getSettings(app.database.db, STORE)).toEqual(DEFAULT_SETTINGS);
    },
  );

  it('when the default threshold, the selling-stopped message and a storefront text are wrong, then exactly those fields are marked invalid, each described by its own error', async () => {
    await reset();
    const response = await submit({
      'inventory.defaultBackorderThreshold': '-3',
      'inventory.sellingStoppedMessage': 'x'.repeat(300),
      'storefront.badge.backorderText': 'x'.repeat(201),
    });
    expect(response.status).toBe(422);
    const form = settingsForm(response.html);
    expect(form.invalidNames().sort()).toEqual(['inventory.defaultBackorderThreshold', 'inventory.sellingStoppedMessage', 'storefront.badge.backorderText']);
    for (const name of ['inventory.defaultBackorderThreshold', 'inventory.sellingStoppedMessage', 'storefront.badge.backorderText']) {
      const problem = form.problemOf(name);
      expect(problem, name).toBeTruthy();
      expect(form.descriptionsOf(name), name).toContain(problem);
    }
    expect(form.problemOf('inventory.sellingStoppedMessage')).toMatch(/255/);
    expect(form.problemOf('orderNote.message')).toBeUndefined();
  });

  it('when the order note’s message is too long, then that textarea alone is marked invalid and described by its error', async () => {
    await reset();
    const response = await submit({ 'orderNote.message': 'x'.repeat(501) });
    expect(response.status).toBe(422);
    const form = settingsForm(response.html);
    expect(form.invalidNames()).toEqual(['orderNote.message']);
    expect(form.descriptionsOf('orderNote.message')).toEqual([expect.stringMatching(/^Written above/), form.problemOf('orderNote.message')]);
  });

  it('when the order note’s message has line breaks and tabs, then they are saved: a multi-line text keeps them', async () => {
    await reset();
    expect((await submit({ 'orderNote.message': 'Backordered:\r\n\tship later' })).status).toBe(303);
    expect((await getSettings(app.database.db, STORE)).orderNote.message).toBe('Backordered:\r\n\tship later');
  });

  it('when an optional text is emptied, then it is saved empty: that message shows nothing', async () => {
    await reset();
    expect((await submit({ 'storefront.inventoryDescription.inStockText': '', 'storefront.badge.soldOutText': '' })).status).toBe(303);
    const { storefront } = await getSettings(app.database.db, STORE);
    expect([storefront.inventoryDescription.inStockText, storefront.badge.soldOutText]).toEqual(['', '']);
  });

  it('when the Custom profile’s wallet buttons selector is given, then it is saved, and the page shows it with Cornerstone’s as the hint', async () => {
    await reset();
    expect((await submit({ 'storefront.customSelectors.walletButtons': '.buy-now-buttons' })).status).toBe(303);
    expect((await getSettings(app.database.db, STORE)).storefront.customSelectors.walletButtons).toBe('.buy-now-buttons');
    const html = await settingsPage();
    expect(settingsForm(html).value('storefront.customSelectors.walletButtons')).toBe('.buy-now-buttons');
    expect(html).toContain('[data-add-to-cart-wallet-buttons]');
  });

  it('when a group is reset, then its fields show their defaults, the other groups keep what was typed, and nothing is saved until Save', async () => {
    await reset();
    await updateSettings(app.database.db, STORE, {
      storefront: { inventoryDescription: { backorderText: 'Saved text' }, addToCartButton: { textColor: '#000000' } },
    });
    const response = await submit({ 'storefront.inventoryDescription.soldOutText': 'Typed, not saved', 'storefront.badge.backorderText': 'Typed badge' }, [
      ['resetGroup', 'product-page'],
    ]);
    expect(response.status).toBe(200);
    expect(response.html).toContain('Product page is back to its defaults below');
    const form = settingsForm(response.html);
    expect(form.value('storefront.inventoryDescription.backorderText')).toBe(DEFAULT_SETTINGS.storefront.inventoryDescription.backorderText);
    expect(form.value('storefront.inventoryDescription.soldOutText')).toBe(DEFAULT_SETTINGS.storefront.inventoryDescription.soldOutText);
    expect(form.value('storefront.addToCartButton.textColor')).toBe(DEFAULT_SETTINGS.storefront.addToCartButton.textColor);
    expect(form.value('storefront.badge.backorderText')).toBe('Typed badge');
    expect((await getSettings(app.database.db, STORE)).storefront.inventoryDescription.backorderText).toBe('Saved text');
  });

  it('when the page opens, then the theme’s group is unfolded and the texts’ groups fold under their titles, unfolding where a field has a problem or the group was just reset', async () => {
    await reset();
    const unfolded = (html: string) =>
      [...html.matchAll(/<details class="bo-panel bo-group" data-settings-group="([\w-]+)"( open)?>/g)].flatMap((m) => (m[2] ? [m[1]] : []));
    const html = await settingsPage();
    expect([...html.matchAll(/data-settings-group="([\w-]+)"/g)].map((m) => m[1])).toEqual([
      'theme',
      'product-page',
      'add-to-cart',
      'cart',
      'cards',
      'checkout',
      'language',
    ]);
    expect(unfolded(html)).toEqual(['theme']);
    const refused = await submit({ 'storefront.cartMessage.backorderedText': '{nonsense}', 'storefront.locale': 'english please' });
    expect(refused.status).toBe(422);
    expect(unfolded(refused.html)).toEqual(['theme', 'cart', 'language']);
    const resetCards = await submit({}, [['resetGroup', 'cards']]);
    expect(unfolded(resetCards.html)).toEqual(['theme', 'cards']);
  });

  it('when a colour pair falls below WCAG AA, then the page warns beside it with the contrast; the defaults pass', async () => {
    await reset();
    const warnings = (html: string) => [...html.matchAll(/data-contrast-warning[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(warnings(await settingsPage())).toEqual(['', '']);
    await updateSettings(app.database.db, STORE, { storefront: { badge: { backgroundColor: '#777777', textColor: '#888888' } } });
    const [button, badge] = warnings(await settingsPage());
    expect(button).toBe('');
    expect(badge).toMatch(/contrast of 1\.\d\d:1, below WCAG AA \(4\.5:1\)/);
  });

  it('when a text uses {salable} where it would hide the message for items with unlimited backorders, then the field warns; over-limit texts do not', async () => {
    await reset();
    const cautions = (html: string) =>
      Object.fromEntries([...html.matchAll(/data-salable-caution="sf-([\w-]+)"( hidden)?/g)].map((m) => [m[1], m[2] ? 'hidden' : 'shown']));
    const before = cautions(await settingsPage());
    expect(before['inventoryDescription-backorderText']).toBe('hidden');
    expect(Object.values(before)).not.toContain('shown');
    expect(Object.keys(before).filter((id) => id.includes('overLimit'))).toEqual([]);
    expect((await submit({ 'storefront.inventoryDescription.backorderText': 'Only {salable} left to backorder' })).status).toBe(303);
    await updateSettings(app.database.db, STORE, { storefront: { quantityMessage: { overLimitText: 'Just {salable}.' } } });
    const html = await settingsPage();
    expect(cautions(html)).toEqual({ ...before, 'inventoryDescription-backorderText': 'shown' });
    expect(html).toMatch(/id="sf-inventoryDescription-backorderText"[^>]*aria-describedby="[^"]*sf-inventoryDescription-backorderText-caution/);
  });

  it('when every stored text carries a script or breaks out of an attribute, then the admin shows each as text, never as markup', async () => {
    await reset();
    const script = '<script>alert(1)</script>';
    const image = '"><img src=x onerror=alert(1)>';
    // Each text of the storefront settings gets one of the two (with the placeholders it must keep).
    const texts = storefrontTexts(DEFAULT_SETTINGS.storefront).map(([path, text], index) => {
      const required = placeholdersIn(text).filter((name) => name === 'date');
      return [path, `${index % 2 ? script : image}${required.map((name) => ` {${name}}`).join('')}`] as const;
    });
    const storefront: Record<string, Record<string, string>> = {};
    for (const [path, value] of texts) {
      const [group, key] = path.split('.') as [string, string];
      (storefront[group] ??= {})[key] = value;
    }
    await updateSettings(app.database.db, STORE, { storefront, orderNote: { message: image } });
    const html = await settingsPage();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const form = settingsForm(html);
    for (const [path, value] of texts) expect(form.value(`storefront.${path}`), path).toBe(value);
    expect(form.value('orderNote.message')).toBe(image);
  });
});
