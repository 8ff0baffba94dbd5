/**
 * Checkout and order confirmation are rendered by checkout-js (React), the same under every theme:
 * read in bigcommerce/checkout-js (OrderSummaryItem.tsx). Rows carry no product or variant id, so a
 * row is matched to its line by the title's "{quantity} x {name}" and, between variants of one product, the
 * options listed under it.
 */
import type { Anchor } from '../contract/theme-profiles/types.ts';

export const checkoutProfile = {
  /** checkout-js renders into this; the notice goes just outside it, where React never re-renders. */
  app: '#checkout-app',
  notice: [
    { selector: '#checkout-app', where: 'beforebegin' },
    { selector: '.checkoutHeader', where: 'afterend' },
  ] as Anchor[],
  row: '[data-test="cart-item"]',
  title: '[data-test="cart-item-product-title"]',
  /** Each option under the title (mapFromPhysical.tsx: "{name} {value}"; "{name}: {value}" in the picklist experiment). */
  option: '[data-test="cart-item-product-options"] > .product-option',
  lineMessage: [{ selector: '.product-body', where: 'beforeend' }] as Anchor[],
  /** The confirmation's "Your order number is <strong>N</strong>" (OrderStatus.tsx). */
  orderNumber: '[data-test="order-confirmation-order-number-text"] strong',
};
