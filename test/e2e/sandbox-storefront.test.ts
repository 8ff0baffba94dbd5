/**
 * A shopper on a sandbox store's demo storefront in Chromium: pick a variant, add to cart by AJAX, quick view,
 * change a quantity on the cart page, check out and see the confirmation — and the order's webhooks fire.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxStore } from '../../sandbox/index.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestSandbox, until, webhookReceiver, type TestSandbox, type WebhookReceiver } from '../helpers/sandbox.ts';

let t: TestSandbox;
let store: SandboxStore;
let receiver: WebhookReceiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let url: string;
const errors: string[] = [];

beforeAll(async () => {
  [t, receiver, browser] = await Promise.all([startTestSandbox(), webhookReceiver(), launchBrowser()]);
  store = t.sandbox.store(t.storeHash);
  store.setInventorySettings({ stock_level_display: 'show' });
  expect((await t.post('/v3/hooks', { scope: 'store/order/*', destination: `${receiver.url}/hooks`, headers: { 'X-Secret': 'shh' } })).status).toBe(200);
  url = (await t.get('/v2/store')).body.secure_url;
  context = await browser.newContext();
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await receiver?.close();
  await t?.stop();
});

/** Opens a storefront page and waits until the theme's JavaScript has run. */
async function open(path: string): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.waitForSelector('body[data-theme-ready]');
}

const optionValue = (productId: number, option: string, label: string) =>
  store.context
    .product(productId)
    .options.find((o) => o.display_name === option)!
    .values.find((v) => v.label === label)!.id;

describe('the demo storefront in Chromium', () => {
  it('when the store answers /v2/store, then secure_url is the storefront, whose home lists cards with quick view', async () => {
    expect(url).toBe(t.sandbox.storefrontUrl(t.storeHash));
    await open('/');
    expect(await page.locator('article.card').count()).toBe(12);
    expect(await page.locator('article.card[data-entity-id="100"] button.quickview[data-product-id="100"]').count()).toBe(1);
  });

  it('when a shopper picks a variant, then SKU and stock follow product-attributes and onProductOptionsChanged carries its data', async () => {
    await open('/fog-linen-chambray-towel/');
    expect(await page.textContent('.productView [data-product-sku]')).toBe('FLCT');
    await page.evaluate(() => {
      const seen: unknown[] = [];
      (window as unknown as { seen: unknown[] }).seen = seen;
      document.addEventListener('onProductOptionsChanged', (event) => seen.push((event as CustomEvent).detail));
      document.addEventListener('onProductUpdate', (event) => seen.push((event as CustomEvent).detail));
    });
    await page.click(`label[data-product-attribute-value="${optionValue(124, 'Color', 'Beige Stripe')}"]`);
    await page.click(`label[data-product-attribute-value="${optionValue(124, 'Size', 'S')}"]`);
    await page.waitForFunction(() => document.querySelector('.productView [data-product-sku]')?.textContent === 'FLCT-BEIGESTRIPE-S');
    expect(await page.textContent('.productView [data-product-stock]')).toBe('5');
    expect(await page.isVisible('.form-field--stock')).toBe(true);
    const seen = await page.evaluate(() => (window as unknown as { seen: Array<Record<string, any>> }).seen);
    const changed = seen.filter((detail) => 'data' in detail).at(-1)!;
    expect(changed).toMatchObject({
      content: expect.any(String),
      data: { sku: 'FLCT-BEIGESTRIPE-S', v3_variant_id: store.context.product(124).variants[0]!.id, stock: 5, instock: true },
    });
    expect(seen.some((detail) => detail.productDetails?.productId === 124 && detail.productDetails.optionSelections.length === 2)).toBe(true);
    expect(await page.getAttribute('.productView', 'data-product-variant')).toBe('Color:Beige Stripe, Size:S');

    await page.click(`label[data-product-attribute-value="${optionValue(124, 'Size', 'M')}"]`);
    await page.waitForFunction(() => document.querySelector('.productView [data-product-sku]')?.textContent === 'FLCT-BEIGESTRIPE-M');
    expect(await page.isDisabled('#form-action-addToCart')).toBe(true);
    expect((await page.textContent('.productAttributes-message .alertBox-message'))?.trim()).toBe('Out of stock');
  });

  it('when the shopper adds to cart, then the AJAX add opens #previewModal with the item and the header count follows', async () => {
    await page.click(`label[data-product-attribute-value="${optionValue(124, 'Size', 'L')}"]`);
    await page.waitForFunction(() => !(document.querySelector('#form-action-addToCart') as HTMLInputElement).disabled);
    await page.click('.productView [data-quantity-change] [data-action="inc"]');
    expect(await page.inputValue('.productView input[name="qty[]"]')).toBe('2');
    await page.click('#form-action-addToCart');
    await page.waitForSelector('#previewModal.open .productView-title');
    expect(await page.textContent('#previewModal .productView-title')).toBe('Fog Linen Chambray Towel');
    expect(await page.textContent('#previewModal .modal-header-title')).toContain('2 items were added');
    expect(await page.textContent('.cart-quantity')).toBe('2');
    expect(await page.inputValue('#form-action-addToCart')).toBe('Add to Cart'); // the label is restored after the wait message
  });

  it('when quick view opens on a category page, then #modal holds the product view and adds with its own form', async () => {
    await open('/bath/');
    await page.click('article.card[data-entity-id="113"] button.quickview');
    await page.waitForSelector('#modal.open .modal-body.quickView .productView.productView--quickView');
    expect(await page.textContent('#modal .quickView .productView-title')).toBe('Bath Brush');
    expect(await page.locator('#modal .quickView form[data-cart-item-add] input[name="product_id"]').inputValue()).toBe('113');
    await page.waitForFunction(() => !(document.querySelector('#modal .quickView #form-action-addToCart') as HTMLInputElement).disabled);
    await page.click('#modal .quickView #form-action-addToCart');
    await page.waitForSelector('#previewModal.open .productView-title');
    expect(await page.textContent('#previewModal .productView-title')).toBe('Bath Brush');
    expect(await page.isVisible('#modal')).toBe(false);
    expect(await page.textContent('.cart-quantity')).toBe('3');
  });

  it('when a quantity changes on the cart page, then the rows are rendered anew with the new quantity and totals', async () => {
    await open('/cart.php');
    expect(await page.locator('tr.cart-item[data-item-row]').count()).toBe(2);
    const towel = store.context.state.storefront!.carts[0]!.lines.find((line) => line.product_id === 124)!.id;
    await page.evaluate(() => document.querySelectorAll('[data-cart-content] [data-item-row]').forEach((row) => row.setAttribute('data-old', '')));
    await page.click(`[data-cart-update][data-cart-itemid="${towel}"][data-action="inc"]`);
    await page.waitForFunction((id) => (document.querySelector(`[id="qty-${id}"]`) as HTMLInputElement | null)?.value === '3', towel);
    expect(await page.locator('[data-cart-content] [data-item-row][data-old]').count()).toBe(0);
    expect(await page.locator('[data-cart-content] [data-item-row]').count()).toBe(2);
    expect(await page.textContent('.cart-total-grandTotal')).toBe('$165.00');
    expect(await page.textContent('[data-cart-page-title]')).toBe('Your Cart (4 items)');
    expect(await page.textContent('.cart-quantity')).toBe('4');

    await page.click('[data-cart-preview]');
    await page.waitForSelector('#cart-preview-dropdown.is-open .previewCartItem');
    expect(await page.locator('#cart-preview-dropdown .previewCartItem-name').allTextContents()).toEqual(['Fog Linen Chambray Towel', 'Bath Brush']);
    expect(await page.textContent('#cart-preview-dropdown .previewCartItem-price')).toBe('3 × $49.00');
  });

  it('when the shopper checks out, then the order fires its webhooks, becomes Awaiting Fulfillment and the confirmation shows it', async () => {
    await page.goto(`${url}/checkout`);
    await page.waitForSelector('#checkout-app [data-test="cart-item"]');
    expect(await page.locator('[data-test="cart-item-product-title"]').allTextContents()).toEqual(['1 x Bath Brush', '3 x Fog Linen Chambray Towel']);
    for (const [field, value] of [
      ['email', 'sam@example.com'],
      ['firstName', 'Sam'],
      ['lastName', 'Shopper'],
      ['address1', '1 Main Street'],
      ['city', 'Austin'],
      ['stateOrProvince', 'Texas'],
      ['postalCode', '78701'],
    ]) {
      await page.fill(`#${field}Input`, value!);
    }
    const before = store.orderCount();
    await page.click('#checkout-place-order');
    await page.waitForSelector('[data-test="order-confirmation-order-number-text"]');
    expect(page.url()).toBe(`${url}/checkout/order-confirmation`);
    const orderId = Number(await page.textContent('[data-test="order-confirmation-order-number-text"] strong'));
    expect(store.orderCount()).toBe(before + 1);
    expect(store.order(orderId)).toMatchObject({
      status_id: 11,
      status: 'Awaiting Fulfillment',
      billing_address: { email: 'sam@example.com', first_name: 'Sam' },
    });
    expect(await page.locator('[data-test="cart-item-product-title"]').allTextContents()).toEqual(['1 x Bath Brush', '3 x Fog Linen Chambray Towel']);

    const created = await until(
      () => receiver.received.find((d) => d.body.scope === 'store/order/created' && d.body.data.id === orderId),
      15_000,
      'store/order/created',
    );
    expect(created.headers['x-secret']).toBe('shh');
    await until(
      () => receiver.received.some((d) => d.body.scope === 'store/order/statusUpdated' && d.body.data.status.new_status_id === 11),
      15_000,
      'statusUpdated',
    );
    expect(store.product(124).variants).toEqual(expect.arrayContaining([expect.objectContaining({ sku: 'FLCT-BEIGESTRIPE-L', inventory_level: 0 })]));
    expect(errors).toEqual([]);
  });
});
