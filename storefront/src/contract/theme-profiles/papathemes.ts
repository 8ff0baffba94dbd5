/**
 * PapaThemes (Supermarket, Chiara, ...: Cornerstone-derived). Drawn from public references — the
 * PapaThemes add-on bundles and READMEs — not verified against the themes' own source. They expose
 * their stencil-utils instance on `window`, so its `product-options-change-remote` hook reports the
 * chosen variant directly.
 */
import { cornerstone } from './cornerstone.ts';
import type { ThemeProfile } from './types.ts';

export const papathemes: ThemeProfile = {
  ...cornerstone,
  name: 'papathemes',
  basis: 'public-references',
  product: {
    ...cornerstone.product,
    form: 'form[data-cart-item-add], form.form[data-product-id]',
    nativeBackorder: '',
  },
  variantSources: [
    ...cornerstone.variantSources,
    { kind: 'stencil-hook', globals: ['stencilUtils', 'themeStencilUtils'], hook: 'product-options-change-remote' },
  ],
  cart: { ...cornerstone.cart, row: `${cornerstone.cart.row}, .cart-item`, nativeBackorder: '' },
};
