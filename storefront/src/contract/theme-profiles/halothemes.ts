/**
 * HaloThemes (Cornerstone forks such as "Annie's Garden"). Drawn from public references — a public copy
 * of the theme's add-to-cart.html and product-view.html — not verified against every Halo theme.
 * Differences from Cornerstone: the button sits in `.productView-actions`, a buy-it-now button and a
 * sticky add-to-cart bar also need the backorder label, and stock shows in `.productView-optionsStock`.
 */
import { cornerstone } from './cornerstone.ts';
import type { ThemeProfile } from './types.ts';

export const halothemes: ThemeProfile = {
  ...cornerstone,
  name: 'halothemes',
  basis: 'public-references',
  product: {
    ...cornerstone.product,
    addToCart: '#form-action-addToCart, [data-form-action-addToCart], #form-action-buyItNow',
    pageButtons: '.halo-sticky-add-to-cart [type="submit"], #sticky-add-to-cart [type="submit"]',
    inventoryDescription: [{ selector: '.productView-optionsStock', where: 'afterend' }, ...cornerstone.product.inventoryDescription],
    addToCartMessage: [{ selector: '.productView-actions', where: 'afterend' }, ...cornerstone.product.addToCartMessage],
    shippingDescription: [{ selector: '.productView-actions', where: 'afterend' }, ...cornerstone.product.shippingDescription],
    nativeBackorder: `${cornerstone.product.nativeBackorder}, .productView-optionsStock [data-stock-left]`,
  },
};
