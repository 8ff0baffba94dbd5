/**
 * Issue 13 end to end in Chromium: the merchant changes a text in every group of the Settings tab and both
 * button colours, sees each in the live preview before saving, saves, and shoppers see them on the sandbox
 * shop's product, cart, listing, checkout and confirmation pages; the new order's note carries the
 * BackOrder message. The theme check reads the shop; axe-core finds nothing on the Settings page; a stored
 * script or broken-out attribute shows as text in the admin, the preview and the shop.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionIn } from '../helpers/admin.ts';
import { axeViolations, PRODUCTS, shopperTab, shopSuite, waitShown, type Shop, type ShopperTab } from '../helpers/storefront-shop.ts';

const suite = shopSuite();
let shop: Shop;
let tab: ShopperTab;
let admin: Page;
const adminErrors: string[] = [];
beforeAll(async () => {
  ({ shop, tab } = suite);
  admin = await (await shop.browser.newContext({ locale: 'en-US' })).newPage();
  admin.setDefaultTimeout(10_000);
  admin.on('pageerror', (error) => adminErrors.push(error.message));
  admin.on('console', (message) => message.type() === 'error' && adminErrors.push(message.text()));
});

async function openSettings(): Promise<void> {
  const { sandbox, storeHash, app } = shop.installed;
  const session = sessionIn((await fetch(sandbox.loadUrl(storeHash), { redirect: 'manual' })).headers.get('location'));
  await admin.goto(`${app.url}/admin/settings?session=${session}`);
  await admin.waitForSelector('[data-settings-preview][data-preview-ready]');
}

const field = (path: string) => `#sf-${path.replace(/\./g, '-')}`;

/** Unfolds the settings group that holds `selector`, as the merchant does: by its title. */
async function unfold(selector: string): Promise<void> {
  const group = admin.locator(`details[data-settings-group]:has(${selector})`);
  if (!(await group.evaluate((details) => (details as HTMLDetailsElement).open))) await group.locator('summary').click();
}

/** Types `value` into the storefront setting at `path`, its group unfolded first. */
async function typeIn(path: string, value: string): Promise<void> {
  await unfold(field(path));
  await admin.fill(field(path), value);
}
/** The text a preview sample's component shows. */
const sample = (name: string, tag: string, index = 0) =>
  admin.evaluate(
    ([n, t, i]) => (document.querySelectorAll(`[data-sample="${n}"] ${t}`)[i as number]?.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    [name, tag, index] as const,
  );
const previewYear = () => new Date().getUTCFullYear() + 1;
const notice = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelector('bo-checkout-notice')?.shadowRoot?.querySelectorAll('[part~="heading"], [part~="line"]') ?? [], (e) =>
      e.textContent!.replace(/\s+/g, ' ').trim(),
    ),
  );

const ETA = 'Expected back in stock on 15 March 2031.';
const BACKGROUND = '#0b3d91';
const TEXT = '#fffbe6';

describe('the Settings tab', () => {
  it('when axe-core checks the Settings page with its preview, then it finds no violations', async () => {
    await openSettings();
    expect(await axeViolations(admin, 'page')).toEqual([]);
  });

  it('when the theme check runs on the Cornerstone shop, then every anchor is found and Cornerstone is detected', async () => {
    await openSettings();
    await admin.getByRole('button', { name: 'Check my theme' }).click();
    await admin.waitForSelector('[data-theme-check]');
    expect(await admin.locator('[data-anchor] .bo-badge').allTextContents()).toEqual(Array(7).fill('Found'));
    expect(await admin.locator('[data-detected] strong').textContent()).toBe('Cornerstone');
    expect(await axeViolations(admin, 'page')).toEqual([]);
  });

  it('when Custom is chosen, then its selectors appear with a hint each, and a wrong one is named by the theme check before saving', async () => {
    await openSettings();
    const selectors = admin.locator('[data-custom-selectors]');
    expect(await selectors.isVisible()).toBe(false);
    await admin.selectOption(field('themeProfile'), 'custom');
    expect(await selectors.isVisible()).toBe(true);
    expect(await admin.locator(`${field('customSelectors.addToCartButton')}-hint`).textContent()).toBe(
      'The Add to Cart button(s) to restyle. Empty: Cornerstone’s #form-action-addToCart',
    );
    await typeIn('customSelectors.addToCartButton', '#no-such-button');
    await admin.getByRole('button', { name: 'Check my theme' }).click();
    await admin.waitForSelector('[data-theme-check]');
    expect(await admin.locator('[data-anchor="addToCart"] .bo-badge').textContent()).toBe('Not found');
    expect(await admin.locator('[data-anchor]:not([data-anchor="addToCart"]) .bo-badge').allTextContents()).toEqual(Array(6).fill('Found'));
    expect(await admin.locator('[data-theme-check]').textContent()).toMatch(/1 of 7 places were not found[^]*: Add to Cart button\./);
    expect(await admin.inputValue(field('customSelectors.addToCartButton'))).toBe('#no-such-button');
    await openSettings();
    expect(await admin.inputValue(field('themeProfile'))).toBe('cornerstone');
  });

  it('when the merchant changes a text in every group and both button colours, then the preview shows each before anything is saved', async () => {
    await openSettings();
    await typeIn('inventoryDescription.backorderText', 'Ships later – order now');
    await typeIn('addToCartButton.text', 'Order ahead');
    // A colour pair below AA is warned about as it is typed, and the sample button keeps the theme's colours.
    await typeIn('addToCartButton.backgroundColor', BACKGROUND);
    await typeIn('addToCartButton.textColor', '#0b3d92');
    await expect.poll(() => admin.locator('[data-contrast-warning]').first().textContent()).toMatch(/below WCAG AA/);
    await typeIn('addToCartButton.textColor', TEXT);
    await expect.poll(() => admin.locator('[data-contrast-warning]').first().textContent()).toBe('');
    // Placeholders go in with a click, at the caret.
    await typeIn('quantityMessage.backorderedText', 'Later: ');
    await admin.click(`[data-insert="{backordered}"][data-target="${field('quantityMessage.backorderedText').slice(1)}"]`);
    expect(await admin.inputValue(field('quantityMessage.backorderedText'))).toBe('Later: {backordered}');
    await typeIn('addToCartMessage.backorderedText', '{backordered} of the {quantity} added come later.');
    await typeIn('cartMessage.backorderedText', '{backordered} of {quantity} arrive later.');
    await typeIn('badge.backorderText', 'Coming soon');
    await typeIn('checkoutNotice.checkoutHeading', 'Arriving later');
    await typeIn('checkoutNotice.confirmationHeading', 'Arriving later in this order');
    await typeIn('locale', 'en-GB');
    await admin.fill('#note-message', 'Backordered, shipping later:');

    const eta = `Expected back in stock on 15 March ${previewYear()}.`;
    await expect.poll(() => sample('backorder', 'bo-inventory-description')).toBe(`Ships later – order now ${eta}`);
    expect(await sample('backorder', 'bo-quantity-message')).toBe('Later: 2');
    expect(await sample('backorder', 'bo-add-to-cart-message')).toBe('2 of the 2 added come later.');
    const button = admin.locator('[data-sample="backorder"] input.bo-sample-button');
    expect(await button.inputValue()).toBe('Order ahead');
    expect(await button.evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color])).toEqual(['rgb(11, 61, 145)', 'rgb(255, 251, 230)']);
    expect(await sample('cart-line', 'bo-cart-line-message')).toBe(`3 of 3 arrive later. ${eta}`);
    expect(await sample('card', 'bo-card-badge')).toBe('Coming soon');
    // The sample's over-limit line comes first, under its own heading; the backordered one under the merchant's.
    expect(await sample('checkout', 'bo-checkout-notice')).toMatch(
      /^Some items are asked for in more than can be ordered Orbit Lamp: .* Arriving later Orbit Terrarium: 3 of 3 backordered\./,
    );
    expect(await sample('checkout', 'bo-checkout-notice', 1)).toMatch(/ Arriving later in this order Orbit Terrarium/);

    await admin.getByRole('button', { name: 'Save settings' }).first().click();
    await admin.waitForSelector('.bo-flash--success');
    expect(await admin.locator('.bo-flash--success').textContent()).toBe('Settings saved.');
    expect(await admin.inputValue(field('badge.backorderText'))).toBe('Coming soon');
    expect(await axeViolations(admin, 'page')).toEqual([]);
    expect(adminErrors).toEqual([]);
  });

  it('when the settings are saved, then the next storefront views show them: product page, listing, cart, checkout and confirmation', async () => {
    const page = tab.page;
    await tab.open(PRODUCTS.backorder.path);
    const view = '.productView:not(#previewModal .productView)';
    await waitShown(page, `${view} bo-inventory-description`, `Ships later – order now ${ETA}`);
    await waitShown(page, `${view} bo-quantity-message`, 'Later: 1');
    const button = `${view} #form-action-addToCart`;
    expect(await page.inputValue(button)).toBe('Order ahead');
    expect(await page.$eval(button, (b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color])).toEqual([
      'rgb(11, 61, 145)',
      'rgb(255, 251, 230)',
    ]);
    const quantity = page.locator(`${view} input[name="qty[]"]`);
    await quantity.fill('');
    await quantity.pressSequentially('2');
    await waitShown(page, `${view} bo-quantity-message`, 'Later: 2');
    await page.click(button);
    await page.waitForSelector('#previewModal.open .productView-title');
    await waitShown(page, '#previewModal bo-add-to-cart-message', '2 of the 2 added come later.');

    await tab.open('/');
    await waitShown(page, `article.card[data-entity-id="${PRODUCTS.backorder.id}"] bo-card-badge`, 'Coming soon');

    await tab.open('/cart.php');
    await waitShown(page, 'tr.cart-item bo-cart-line-message', `2 of 2 arrive later. ${ETA}`);

    await page.goto(`${shop.url}/checkout`);
    await page.waitForSelector('#checkout-app [data-test="cart-item"]');
    await expect.poll(() => notice(page)).toEqual(['Arriving later', `${PRODUCTS.backorder.name}: 2 of 2 backordered. ${ETA}`]);
    for (const [name, value] of [
      ['email', 'kim@example.com'],
      ['firstName', 'Kim'],
      ['lastName', 'Lee'],
      ['address1', '2 Elm'],
      ['city', 'Austin'],
      ['stateOrProvince', 'Texas'],
      ['postalCode', '78701'],
    ]) {
      await page.fill(`#${name}Input`, value!);
    }
    await page.click('#checkout-place-order');
    await page.waitForURL(`${shop.url}/checkout/order-confirmation`);
    const orderId = Number(await page.textContent('[data-test="order-confirmation-order-number-text"] strong'));
    await expect.poll(() => notice(page)).toEqual(['Arriving later in this order', `${PRODUCTS.backorder.name}: 2 of 2 backordered. ${ETA}`]);
    expect(await axeViolations(page)).toEqual([]);

    // The order reaches the app through its webhook; the note is written with the store's BackOrder message.
    const order = () => shop.installed.sandbox.store(shop.installed.storeHash).order(orderId) as { staff_notes: string };
    await expect.poll(() => order().staff_notes, { timeout: 30_000 }).toMatch(/Backordered, shipping later:[^]*Orbit Terrarium - Small/);
    expect(tab.errors).toEqual([]);
  });

  it('when a group is reset, then its fields and the preview go back to the defaults at once, and nothing is saved until Save', async () => {
    await openSettings();
    const url = admin.url();
    await unfold(field('badge.backorderText'));
    await admin.getByRole('button', { name: 'Reset “Product cards” to defaults' }).click();
    expect(await admin.inputValue(field('badge.backorderText'))).toBe('Backorder');
    // Said where a screen reader hears it: the fields changed in place.
    expect(await admin.getByRole('status').filter({ hasText: 'back to its defaults' }).allTextContents()).toEqual([
      'Product cards is back to its defaults above: save the settings to keep them.',
    ]);
    expect(await admin.inputValue(field('badge.backgroundColor'))).toBe('#8a4b00');
    await expect.poll(() => sample('card', 'bo-card-badge')).toBe('Backorder');
    // The other groups keep what was saved, and the page was not sent anywhere.
    expect(await admin.inputValue(field('checkoutNotice.checkoutHeading'))).toBe('Arriving later');
    expect(admin.url()).toBe(url);
    await openSettings();
    expect(await admin.inputValue(field('badge.backorderText'))).toBe('Coming soon');
  });

  it('when a stored text carries a script or breaks out of an attribute, then the admin, the preview and the shop show it as text', async () => {
    const script = '<script>window.hacked=1</script>';
    const image = '"><img src=x onerror="window.hacked=1">';
    await openSettings();
    await typeIn('inventoryDescription.backorderText', script);
    await typeIn('badge.backorderText', image);
    await admin.getByRole('button', { name: 'Save settings' }).first().click();
    await admin.waitForSelector('.bo-flash--success');
    await openSettings();
    expect(await admin.inputValue(field('inventoryDescription.backorderText'))).toBe(script);
    expect(await admin.inputValue(field('badge.backorderText'))).toBe(image);
    await expect.poll(() => sample('backorder', 'bo-inventory-description')).toMatch(/^<script>window\.hacked=1<\/script>/);
    expect(await sample('card', 'bo-card-badge')).toBe(image);
    expect(await admin.locator('main img, main script:not([src])').count()).toBe(0);
    expect(await admin.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();

    // A new shopper (the storefront API's answers may be kept by a browser for 15 seconds).
    const shopper = await shopperTab(shop);
    try {
      await shopper.open(PRODUCTS.backorder.path);
      await waitShown(shopper.page, '.productView:not(#previewModal .productView) bo-inventory-description', `${script} ${ETA}`);
      await shopper.open('/');
      await waitShown(shopper.page, `article.card[data-entity-id="${PRODUCTS.backorder.id}"] bo-card-badge`, image);
      expect(await shopper.page.locator('article.card img[src="x"]').count()).toBe(0);
      expect(await shopper.page.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
      expect(shopper.errors).toEqual([]);
    } finally {
      await shopper.context.close();
    }
  });
});
