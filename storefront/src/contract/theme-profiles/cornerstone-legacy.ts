/**
 * Cornerstone before 6.19 (5.1 to 6.18, read in bigcommerce/cornerstone's history) and the many
 * marketplace themes forked from it: the same anchors, the "Current Stock:" label, no native backorder
 * elements. `onProductOptionsChanged` exists from 6.13 (with `content` and `data` swapped until 6.20;
 * the reader accepts both) and is simply never heard on older versions: the form's selections still work.
 */
import { cornerstone } from './cornerstone.ts';
import type { ThemeProfile } from './types.ts';

export const cornerstoneLegacy: ThemeProfile = {
  ...cornerstone,
  name: 'cornerstone-legacy',
  product: {
    ...cornerstone.product,
    quantityButtons: '[data-quantity-change] button[data-action], .form-increment button[data-action]',
    nativeBackorder: '',
  },
  cart: { ...cornerstone.cart, nativeBackorder: '' },
};
