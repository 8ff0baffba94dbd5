/**
 * The profile a store's settings choose; `custom` lays the store's selectors over Cornerstone's.
 * Cornerstone's profiles are built in (most stores run it or a fork); the other families' data is
 * imported only by the stores that use them.
 */
import type { CustomSelectors, StorefrontSettingsView, ThemeProfileName } from '../contract/storefront-api.ts';
import { cornerstone } from './cornerstone.ts';
import { cornerstoneLegacy } from './cornerstone-legacy.ts';
import type { Anchor, ThemeProfile, Where } from './types.ts';

export type { Anchor, ThemeProfile, Where };

type NamedProfile = Exclude<ThemeProfileName, 'custom'>;

const PROFILES: Record<NamedProfile, () => ThemeProfile | Promise<ThemeProfile>> = {
  cornerstone: () => cornerstone,
  'cornerstone-legacy': () => cornerstoneLegacy,
  halothemes: () => import('./halothemes.ts').then((module) => module.halothemes),
  'pixel-union': () => import('./pixel-union.ts').then((module) => module.pixelUnion),
  papathemes: () => import('./papathemes.ts').then((module) => module.papathemes),
};

/** The named profiles. */
export const PROFILE_NAMES = Object.keys(PROFILES) as NamedProfile[];

/** A selector the browser accepts; a merchant's typo must not break the page. */
function valid(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    console.warn(`[backorder] ignoring the custom selector "${selector}": it is not valid CSS`);
    return false;
  }
}

/** The custom selector when given and valid, else Cornerstone's. */
function pick(custom: string, fallback: string): string {
  return custom && valid(custom) ? custom : fallback;
}

/** An anchor list with the custom selector tried first, at the same position as Cornerstone's first. */
function anchors(custom: string, fallback: Anchor[]): Anchor[] {
  return custom && valid(custom) ? [{ selector: custom, where: fallback[0]!.where }, ...fallback] : fallback;
}

/** The custom profile: the store's selectors over Cornerstone's. */
export function customProfile(selectors: CustomSelectors): ThemeProfile {
  const base = cornerstone;
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

/** The theme profile for these settings; Cornerstone's when the named one cannot be loaded. */
export async function profileFor(settings: Pick<StorefrontSettingsView, 'themeProfile' | 'customSelectors'>): Promise<ThemeProfile> {
  if (settings.themeProfile === 'custom') return customProfile(settings.customSelectors);
  try {
    return (await PROFILES[settings.themeProfile]?.()) ?? cornerstone;
  } catch {
    return cornerstone;
  }
}
