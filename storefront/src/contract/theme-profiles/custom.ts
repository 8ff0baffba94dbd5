/**
 * The Custom profile: the store's selectors over Cornerstone's. Shared: the storefront mounts with it, and
 * the admin's theme check looks for its anchors in the store's pages. Which selectors a parser accepts is
 * the caller's to say (the browser's `querySelector`, the server's HTML library).
 */
import type { CustomSelectors } from '../storefront-api.ts';
import { cornerstone } from './cornerstone.ts';
import type { Anchor, ThemeProfile } from './types.ts';

/** Whether a selector can be used; an invalid one falls back to Cornerstone's. */
export type SelectorCheck = (selector: string) => boolean;

/** The custom profile: the store's selectors over Cornerstone's; empty or invalid ones keep Cornerstone's. */
export function customProfile(selectors: CustomSelectors, valid: SelectorCheck): ThemeProfile {
  const base = cornerstone;
  /** The custom selector when given and valid, else Cornerstone's. */
  const pick = (custom: string, fallback: string) => (custom && valid(custom) ? custom : fallback);
  /** An anchor list with the custom selector tried first, at the same position as Cornerstone's first. */
  const anchors = (custom: string, fallback: Anchor[]): Anchor[] =>
    custom && valid(custom) ? [{ selector: custom, where: fallback[0]!.where }, ...fallback] : fallback;
  return {
    ...base,
    name: 'custom',
    basis: 'store-settings',
    product: {
      ...base.product,
      view: pick(selectors.productView, base.product.view),
      form: pick(selectors.productForm, base.product.form),
      productId: pick(selectors.productId, base.product.productId),
      options: pick(selectors.productOptions, base.product.options),
      quantity: pick(selectors.quantityInput, base.product.quantity),
      addToCart: pick(selectors.addToCartButton, base.product.addToCart),
      walletButtons: pick(selectors.walletButtons, base.product.walletButtons),
      inventoryDescription: anchors(selectors.inventoryDescriptionAnchor, base.product.inventoryDescription),
      shippingDescription: anchors(selectors.shippingDescriptionAnchor, base.product.shippingDescription),
      quickView: pick(selectors.quickView, base.product.quickView),
    },
    listing: {
      ...base.listing,
      card: pick(selectors.card, base.listing.card),
      badge: anchors(selectors.cardBadgeAnchor, base.listing.badge),
    },
    cart: {
      ...base.cart,
      row: pick(selectors.cartRow, base.cart.row),
      quantity: pick(selectors.cartQuantityInput, base.cart.quantity),
      message: anchors(selectors.cartMessageAnchor, base.cart.message),
    },
  };
}
