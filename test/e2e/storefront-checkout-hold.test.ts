/**
 * Issue 15, end to end on the sandbox's Cornerstone-shaped shop: a cart line raised above what can be
 * ordered holds the cart page's checkout button, the header preview's and that of the modal the next add to
 * cart opens, with the reason next to them; lowered back, all are released and checkout opens.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, PRODUCTS, shopSuite, waitShown, type Shop, type ShopperTab } from '../helpers/storefront-shop.ts';

const suite = shopSuite();
let shop: Shop;
let tab: ShopperTab;
beforeAll(() => ({ shop, tab } = suite));

const CHECKOUT = '[data-primary-checkout-now-action]';
const PREVIEW_CHECKOUT = '#cart-preview-dropdown .previewCartAction-checkout a';
const MODAL_CHECKOUT = '#previewModal.open .previewCartCheckout-checkoutButton';
// A product the app does not handle (sandbox/seed.ts, 6 on hand): its page mounts none of the app's components.
const OTHER_PRODUCT = '/able-brewing-system/';
// Orbit Terrarium - Large: 3 on hand and a threshold of 5, so 8 can be ordered.
const REASON = `${PRODUCTS.inStock.name}: Only 8 can be ordered. Lower the quantity before checking out.`;
const held = (selector: string) => tab.page.locator(selector).getAttribute('aria-disabled');

/** Adds one of another product from its page; resolves when the modal the add opens is filled. */
async function addAnotherProduct(): Promise<void> {
  await tab.open(OTHER_PRODUCT);
  await tab.page.click('.productView #form-action-addToCart');
  await tab.page.waitForSelector(MODAL_CHECKOUT);
}

async function setQuantity(quantity: string): Promise<void> {
  const input = tab.page.locator('.cart-item-qty-input').first();
  await input.fill(quantity);
  await input.press('Tab');
  await tab.page.waitForFunction((q) => document.querySelector<HTMLInputElement>('.cart-item-qty-input')?.value === q, quantity);
}

describe('checkout held while a cart line is over the limit', () => {
  it('when a line is raised above what can be ordered, then the checkout buttons are held with the reason next to them', async () => {
    await tab.page.goto(`${shop.url}/cart.php?action=add&product_id=${PRODUCTS.inStock.id}&qty=2`);
    await tab.open('/cart.php');
    await tab.page.waitForSelector('bo-checkout-hold', { state: 'attached' });
    expect(await held(CHECKOUT)).toBeNull();

    await setQuantity('9');
    await waitShown(tab.page, '[data-cart] > bo-checkout-hold', REASON);
    expect(await held(CHECKOUT)).toBe('true');
    expect(await tab.page.locator('[data-cart] > bo-checkout-hold + .cart-actions').count()).toBe(1);
    await tab.page.click(CHECKOUT, { force: true });
    await tab.page.waitForTimeout(300);
    expect(new URL(tab.page.url()).pathname).toBe('/cart.php');

    await tab.page.click('[data-cart-preview]');
    await tab.page.waitForSelector('#cart-preview-dropdown.is-open .previewCartItem');
    await waitShown(tab.page, '#cart-preview-dropdown bo-checkout-hold', REASON);
    expect(await held(PREVIEW_CHECKOUT)).toBe('true');
    expect(await axeViolations(tab.page)).toEqual([]);
  });

  it('when another product is added from its page meanwhile, then the Proceed to checkout of the modal the add opens is held with the reason before it', async () => {
    await addAnotherProduct();
    await waitShown(tab.page, '#previewModal bo-checkout-hold', REASON);
    expect(await held(MODAL_CHECKOUT)).toBe('true');
    expect(await tab.page.locator('#previewModal bo-checkout-hold + .previewCartCheckout-checkoutButton').count()).toBe(1);
    await tab.page.click(MODAL_CHECKOUT, { force: true });
    await tab.page.waitForTimeout(300);
    expect(new URL(tab.page.url()).pathname).toBe(OTHER_PRODUCT);
    expect(await axeViolations(tab.page)).toEqual([]);
  });

  it('when the line is lowered within the limit, then they are released and checkout opens', async () => {
    await tab.open('/cart.php');
    await setQuantity('4');
    await waitShown(tab.page, '[data-cart] > bo-checkout-hold', '');
    expect(await held(CHECKOUT)).toBeNull();

    await tab.page.click('[data-cart-preview]');
    await tab.page.waitForSelector('#cart-preview-dropdown.is-open .previewCartItem');
    await tab.page.waitForFunction((s) => document.querySelector(s)?.getAttribute('aria-disabled') === null, PREVIEW_CHECKOUT);
    await waitShown(tab.page, '#cart-preview-dropdown bo-checkout-hold', '');

    await tab.page.click(CHECKOUT);
    await tab.page.waitForURL(`${shop.url}/checkout`);

    await addAnotherProduct();
    await tab.page.waitForSelector('#previewModal bo-checkout-hold', { state: 'attached' });
    await waitShown(tab.page, '#previewModal bo-checkout-hold', '');
    expect(await held(MODAL_CHECKOUT)).toBeNull();
    await tab.page.click(MODAL_CHECKOUT);
    await tab.page.waitForURL(`${shop.url}/checkout`);
    expect(tab.errors).toEqual([]);
  });
});
