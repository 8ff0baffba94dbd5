/**
 * The loader's Script Manager URL, as the server registers it and the loader reads it:
 * `https://app.example.com/storefront/loader.js?store=abc123&v=…&sel=…`.
 *
 * `sel` (only for a store whose theme profile is Custom) carries the selectors that find the page's products,
 * so the first page view finds them before any answer: URL-encoded JSON `{"v":productView,"i":productId,"c":card}`,
 * empty ones left out. The server writes it (server/settings/loader-selectors.ts) and re-registers the
 * script whenever they change.
 */

/** The parameter naming the store the script was registered for. */
export const STORE_PARAM = 'store';
/** The parameter carrying a Custom profile's selectors. */
export const SELECTORS_PARAM = 'sel';
/** Its JSON keys, short because they travel in every page's HTML. */
export const SELECTOR_KEYS = { productView: 'v', productId: 'i', card: 'c' } as const;
