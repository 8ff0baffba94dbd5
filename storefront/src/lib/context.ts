/** What a page controller works with: the loader's answer, the store's settings and its theme profile. */
import type { AvailabilityAnswer, StorefrontSettingsView } from '../contract/storefront-api.ts';
import type { fetchAvailability } from './api-client.ts';
import type { ScriptContext } from './script-context.ts';
import type { ThemeProfile } from '../contract/theme-profiles/types.ts';
import type { LineOption } from './line-name.ts';

/** One cart line as the Storefront Cart API gives it. */
export interface CartLine {
  id: string;
  productId: number;
  variantId: number;
  quantity: number;
  /** The product's name: a line of a product with options is told by `options` too. */
  name: string;
  url: string;
  /** The options the shopper chose (asked for with `include`; none for a product without options). */
  options?: LineOption[];
}

/** What the loader hands to a page entry's `mount()`. */
export interface Boot {
  context: ScriptContext;
  answer: AvailabilityAnswer;
  /** The product ids already asked (answered or not assigned), so nobody asks for them again. */
  asked: number[];
  /** The cart's lines, when the loader read them (cart page). */
  cartLines?: CartLine[];
  /**
   * The loader's storefront API client, to ask for products found later: handed on rather than imported, so that
   * the page entries and their shared chunk do not download a second copy of it.
   */
  fetchAvailability: typeof fetchAvailability;
}

export interface PageContext extends Boot {
  settings: StorefrontSettingsView;
  profile: ThemeProfile;
}
