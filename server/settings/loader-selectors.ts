/**
 * The Custom theme profile's product-finding selectors, carried in the loader's Script Manager URL (`sel=`,
 * see storefront/src/contract/script-url.ts) so that a shopper's first page view finds the page's products
 * before the storefront API has answered. Other profiles need none: the loader's generic anchors fit them.
 */
import { SELECTOR_KEYS } from '../../storefront/src/contract/script-url.ts';

/** How long the encoded parameter may be: the whole script URL stays well under common URL limits. */
export const LOADER_SELECTORS_MAX_LENGTH = 1000;

/** The selectors the loader needs before any answer. */
export type LoaderSelectors = { [K in keyof typeof SELECTOR_KEYS]: string };

/** The part of the storefront settings (storefront-settings.schema.ts) the selectors come from. */
interface SelectorSettings {
  themeProfile: string;
  customSelectors: LoaderSelectors;
}

/** The store's loader selectors: only for the Custom profile, and only when one of them finds products. */
export function loaderSelectorsOf(storefront: SelectorSettings): LoaderSelectors | undefined {
  if (storefront.themeProfile !== 'custom') return undefined;
  const { productView, productId, card } = storefront.customSelectors;
  return productId || card ? { productView, productId, card } : undefined;
}

/** Whether a settings change changes what the loader's URL carries. */
export function loaderSelectorsChanged(before: SelectorSettings, after: SelectorSettings): boolean {
  return JSON.stringify(loaderSelectorsOf(before)) !== JSON.stringify(loaderSelectorsOf(after));
}

/** The `sel` parameter's value, URL-encoded: compact JSON with short keys, empty selectors left out. */
export function encodeLoaderSelectors(selectors: LoaderSelectors): string {
  const compact: Record<string, string> = {};
  for (const [name, key] of Object.entries(SELECTOR_KEYS)) {
    const value = selectors[name as keyof LoaderSelectors];
    if (value) compact[key] = value;
  }
  return encodeURIComponent(JSON.stringify(compact));
}
