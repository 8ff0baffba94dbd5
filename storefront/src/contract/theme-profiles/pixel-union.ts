/**
 * Pixel Union themes (their own ProductUtils, not Cornerstone). Drawn from public references —
 * public copies of their ProductUtils.js — not verified against every Pixel Union theme. Their button
 * label is rewritten on every option change, which the button component re-applies after; there is no
 * post-add modal, so the add-to-cart message shows under the button.
 */
import { cornerstone } from './cornerstone.ts';
import type { ThemeProfile } from './types.ts';

export const pixelUnion: ThemeProfile = {
  ...cornerstone,
  name: 'pixel-union',
  basis: 'public-references',
  product: {
    ...cornerstone.product,
    view: '[data-product-container], .product-details, .productView',
    form: 'form[data-cart-item-add], form[data-product-form]',
    productId: 'input[name="product_id"], [data-product-id]',
    quantity: '[data-product-quantity-input], input[name="qty[]"]',
    quantityButtons: '[data-quantity-increment], [data-quantity-decrement]',
    addToCart: '[data-button-purchase], .add-to-cart',
    buttonLabel: '[data-button-text], .button-text',
    inventoryDescription: [
      { selector: '[data-product-price-wrapper]', where: 'afterend' },
      { selector: 'form[data-cart-item-add], form[data-product-form]', where: 'beforebegin' },
    ],
    quantityMessage: [{ selector: '[data-product-quantity]', where: 'afterend' }, ...cornerstone.product.quantityMessage],
    addToCartMessage: [{ selector: '[data-button-purchase], .add-to-cart', where: 'afterend' }],
    shippingDescription: [{ selector: '[data-button-purchase], .add-to-cart', where: 'afterend' }],
    nativeBackorder: '',
    quickView: '.modal-quick-shop, [data-quick-shop-modal]',
  },
  addedToCart: null,
  listing: {
    ...cornerstone.listing,
    card: `${cornerstone.listing.card}, .productgrid--item, [data-product-item]`,
  },
};
