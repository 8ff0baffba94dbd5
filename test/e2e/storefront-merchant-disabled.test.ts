/**
 * The audit's steps end to end: the demo's Linen Apron assigned with threshold 2, its Navy variant disabled by
 * the merchant in BigCommerce ("Navy is back in March"). Choosing Navy, the shopper sees BigCommerce's message
 * and button only — no backorder promise from the app.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { invalidateStorefront } from '../../server/storefront-api/invalidation.ts';
import type { AvailabilityAnswer } from '../../storefront/src/contract/storefront-api.ts';
import { assignInSandbox } from '../helpers/installed-app.ts';
import { shopSuite, shown, waitShown, type Shop, type ShopperTab } from '../helpers/storefront-shop.ts';

const suite = shopSuite();
let shop: Shop;
let tab: ShopperTab;
beforeAll(() => ({ shop, tab } = suite));

/** A part of the page's own product view (not a quick view's). */
const VIEW = '.productView:not(#previewModal .productView)';
const [inventory, shipping, quantityMessage, button] = [
  'bo-inventory-description',
  'bo-shipping-description',
  'bo-quantity-message',
  '#form-action-addToCart',
].map((part) => `${VIEW} ${part}`) as [string, string, string, string];

describe('a variant the merchant disabled in BigCommerce', () => {
  it('when the shopper chooses it, then the app promises no backorder and leaves the theme its own message and button', async () => {
    // The demo's Linen Apron: Navy disabled by the merchant ("Navy is back in March"), assigned with threshold 2 on each colour.
    const { installed } = shop;
    const apron = installed.sandbox.store(installed.storeHash).context.product(125);
    await assignInSandbox(installed, 125, { threshold: 2, stock: 0 });
    await invalidateStorefront(installed.app.redis, installed.app.config.queuePrefix, installed.storeHash);
    await tab.open(apron.custom_url);
    await tab.page.waitForSelector(`${VIEW}[data-bo-view] bo-add-to-cart-button`, { state: 'attached' });
    const colour = (label: string) => tab.page.click(`${VIEW} label[data-product-attribute-value="${shop.optionValue(125, 'Color', label)}"]`);

    await colour('Charcoal');
    await waitShown(tab.page, inventory, 'Out of stock – available on backorder');
    await tab.page.waitForFunction((b) => (document.querySelector(b) as HTMLInputElement).value === 'Backorder', button);

    await colour('Navy');
    // BigCommerce's own message for the variant, as the theme shows it.
    await expect.poll(() => tab.page.textContent(`${VIEW} .productAttributes-message .alertBox-message`)).toBe('Navy is back in March');
    await waitShown(tab.page, inventory, '');
    expect(await shown(tab.page, quantityMessage)).toBe('');
    expect(await shown(tab.page, shipping)).toBe('');
    await tab.page.waitForFunction((b) => (document.querySelector(b) as HTMLInputElement).value === 'Add to Cart', button);
    expect(await tab.page.getAttribute(button, 'data-bo-backorder')).toBeNull();
    expect(await tab.page.isDisabled(button)).toBe(true);
  });

  it('when the merchant disables a variant already in the cart, then its cart line promises no backorder either', async () => {
    const { installed } = shop;
    const store = installed.sandbox.store(installed.storeHash);
    await tab.page.click(`${VIEW} label[data-product-attribute-value="${shop.optionValue(125, 'Color', 'Charcoal')}"]`);
    await waitShown(tab.page, quantityMessage, '1 of 1 will be backordered.');
    await tab.page.click(button);
    await tab.page.waitForSelector('#previewModal.open .productView-title');

    const charcoal = store.context.product(125).variants[2]!.id;
    store.updateVariant(125, charcoal, { purchasing_disabled: true, purchasing_disabled_message: 'Charcoal is retired' });
    // The event reaches the app, the mirror follows and the cached answers are dropped.
    const answered = async () => {
      const response = await fetch(`${installed.app.url}/storefront-api/v1/stores/${installed.storeHash}/availability?products=125`);
      return Object.keys(((await response.json()) as AvailabilityAnswer).products['125']?.variants ?? {}).includes(String(charcoal));
    };
    await expect.poll(answered, { timeout: 30_000 }).toBe(false);

    await tab.open('/cart.php');
    await tab.page.waitForSelector('tr.cart-item');
    await expect.poll(() => tab.apiRequests.length).toBe(1);
    expect(await shown(tab.page, 'tr.cart-item bo-cart-line-message')).toBe('');
  });
});
