/**
 * Where the checkout buttons are on the cart page, in the header's cart preview and in the modal an add to
 * cart opens, per theme family, and where the reason for holding them goes. Kept out of `ThemeProfile`
 * (which every page downloads with the core chunk) because only the cart and cart-preview entries need it.
 * Cornerstone's are read in bigcommerce/cornerstone 6.21.0 (pages/cart.html, common/cart-preview.html,
 * cart/preview.html; stencil reference §2.1, §2.4, §2.5); the families forked from it keep that markup, so
 * they share these until one is known to differ.
 */
import type { ThemeProfileName } from '../contract/storefront-api.ts';
import type { Anchor } from '../contract/theme-profiles/types.ts';

export interface CheckoutButtons {
  /** The buttons that leave for checkout; a container (wallet buttons render iframes in it) is held whole. */
  buttons: string;
  /** Where the reason goes: next to the buttons, read before them. */
  reason: Anchor[];
}

export interface CheckoutButtonsProfile {
  cart: CheckoutButtons;
  cartPreview: CheckoutButtons;
  /** Inside the profile's `addedToCart.modal`, for the families whose add opens one. */
  addedToCart: CheckoutButtons;
}

const cornerstone: CheckoutButtonsProfile = {
  cart: {
    buttons: '[data-primary-checkout-now-action], [data-cart-additional-checkout-buttons]',
    reason: [
      { selector: '.cart-actions', where: 'beforebegin' },
      { selector: '[data-primary-checkout-now-action]', where: 'beforebegin' },
    ],
  },
  cartPreview: {
    // "Check out with multiple addresses" (when the store allows it) leaves for checkout too.
    buttons: '.previewCartAction-checkout a, .previewCartAction-checkout button, .previewCartAction-checkoutMultiple a',
    reason: [
      { selector: '.previewCartAction', where: 'beforebegin' },
      { selector: '.previewCartList', where: 'afterend' },
    ],
  },
  addedToCart: {
    buttons: '.previewCartCheckout-checkoutButton, .previewCartCheckout-additionalCheckoutButtons',
    reason: [
      { selector: '.previewCartCheckout-checkoutButton', where: 'beforebegin' },
      { selector: '.previewCartCheckout', where: 'afterbegin' },
    ],
  },
};

const PROFILES: Partial<Record<ThemeProfileName, CheckoutButtonsProfile>> = { cornerstone };

/** The checkout buttons of a theme family; Cornerstone's for the families that share its cart markup. */
export function checkoutButtonsFor(name: ThemeProfileName): CheckoutButtonsProfile {
  return PROFILES[name] ?? cornerstone;
}
