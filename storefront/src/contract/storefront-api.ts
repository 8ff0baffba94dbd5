/**
 * The storefront API contract: what the browser asks the app and what it answers. The server
 * (`server/storefront-api/`) implements exactly this; the loader and components only read it.
 *
 * ## Request
 *
 * `GET {appOrigin}/storefront-api/v1/stores/{storeHash}/availability?products=12,34`
 *
 * - `products`: BigCommerce product ids, comma separated, whole numbers from 1 to {@link MAX_PRODUCT_ID}
 *   (the server keeps them as PostgreSQL `integer`s). The client sends them deduplicated and sorted
 *   ascending (so one page always builds the same URL and shares the cache), at most
 *   {@link MAX_PRODUCTS_PER_REQUEST}. The server answers 400 (`{ "error": "..." }`, naming the
 *   parameter) for a malformed list, one id out of range or more ids than that; the client never sends one.
 * - No cookies, no credentials, no other parameters. One request per page view.
 * - A client that asks too often gets `429` with `Retry-After` (seconds, exposed to scripts). The client
 *   asks once more after a 429 or a 503 when Retry-After is a few seconds at most, waiting that long, and
 *   after a network error or a timeout; after a 429 or a 503 it sends nothing more from the page until
 *   Retry-After has passed (a minute at most). Products still unanswered are asked again when the page next looks for them.
 *
 * ## Answer
 *
 * `200 application/json` with an {@link AvailabilityAnswer}. Headers:
 * - `Access-Control-Allow-Origin: *` (no `Allow-Credentials`): public, read-only data.
 * - `Cache-Control: public, max-age=15, stale-while-revalidate=60` — short, because stock moves.
 * - `ETag` (weak is fine) over the body; `If-None-Match` that matches gets `304` with no body.
 *   The server invalidates its cache on every stock or settings change of the store.
 *
 * An unknown store, a store that switched storefront messages off, and products that are not
 * assigned to backorder all get a normal 200: `settings: null` or products left out. Components show
 * nothing for a product that is absent, nor for a variant absent from its product's `variants`.
 *
 * An item the merchant made unbuyable in BigCommerce is left out the same way: a variant with
 * `purchasing_disabled` that the app did not set itself (the app disables a variant when selling stops,
 * and that item is answered `sold_out`), or every variant of a product tracked as a whole (only some of
 * them: they are listed in `disabledVariants`), or a product whose availability is `disabled`; and a product
 * hidden from the storefront (`is_visible` false), which no shopper sees. BigCommerce then shows the merchant's own message and refuses the
 * units; no backorder is promised for them and the theme's button is left as it is. The answer never carries internal ids (inventory item ids,
 * store ids) or another store's data.
 *
 * ## Stock numbers: exact or withheld
 *
 * `numbers: 'exact'` when the store shows stock levels on its storefront (BigCommerce's inventory
 * setting) or any of the merchant's storefront texts uses a stock number placeholder (`{onHand}`,
 * `{salable}`, `{backordered}`: see `textsUseStockNumbers` in
 * `server/settings/storefront-settings.schema.ts`). Otherwise `numbers: 'withheld'`: every
 * `salable` is null, and `onHand` is null for items that have stock (an item on backorder or sold
 * out has nothing on hand, so 0 tells nothing). Components then degrade to what the status alone
 * tells: the inventory and shipping descriptions and the button still work; "N will be backordered"
 * shows only when every unit is backordered (status `backorder`); the "Only N can be ordered" hold is
 * not applied in the browser (the cap still holds at order time). A text whose placeholders cannot be
 * filled is not shown at all.
 */

/** Bump when the answer changes incompatibly; the client ignores answers of another version. */
export const API_VERSION = 1;

/** The most product ids one request may carry. */
export const MAX_PRODUCTS_PER_REQUEST = 100;

/** The largest product id the server accepts. */
export const MAX_PRODUCT_ID = 2_147_483_647;

/** The path of the availability endpoint, under the app's origin. */
export function availabilityPath(storeHash: string): string {
  return `/storefront-api/v1/stores/${encodeURIComponent(storeHash)}/availability`;
}

/** The whole answer for one page view. */
export interface AvailabilityAnswer {
  /** {@link API_VERSION}. */
  v: number;
  /** The store's storefront settings; null when the store is unknown or messages are switched off. */
  settings: StorefrontSettingsView | null;
  /** Whether `onHand` and `salable` carry exact numbers; see the module comment. */
  numbers: 'exact' | 'withheld';
  /** Assigned products among those asked, keyed by BigCommerce product id (as a string). */
  products: Record<string, ProductAvailability>;
}

/** One assigned product: one item (tracked at product level) or one per variant. */
export interface ProductAvailability {
  /** Present when the product's stock is tracked at product level. */
  item?: ItemAvailability;
  /** Present when tracked by variant: keyed by BigCommerce variant id (catalog v3, the cart's `variantId`). */
  variants?: Record<string, VariantAvailability>;
  /**
   * Beside `item`, when the merchant made some of the product's variants unbuyable (purchasing disabled in
   * BigCommerce): those variants, keyed by variant id, with the option values that select them. Components
   * show nothing for them, as for a variant left out of `variants`; the other variants share `item`.
   */
  disabledVariants?: Record<string, Pick<VariantAvailability, 'options'>>;
}

/**
 * - `in_stock`: units on hand (`current_stock > 0`); more may be backordered beyond them.
 * - `backorder`: nothing on hand, but units can still be ordered (`salable_qty > 0` or unlimited).
 * - `sold_out`: nothing can be ordered (`salable_qty <= 0`).
 */
export type ItemStatus = 'in_stock' | 'backorder' | 'sold_out';

/** One inventory item as shoppers may see it. */
export interface ItemAvailability {
  status: ItemStatus;
  /** Units ready to ship: `max(0, current_stock)`. Null only when withheld and the status is `in_stock`. */
  onHand: number | null;
  /**
   * The most units a shopper may order now: `max(0, current_stock + backorder_threshold)`.
   * Null when the threshold is unlimited (numbers `exact`) or when numbers are withheld.
   */
  salable: number | null;
  /**
   * When more stock is expected, `YYYY-MM-DD` (a calendar date, no time zone); null when unknown, not shown,
   * or when the expected units are all taken by units already waiting (so the next order would not get them).
   */
  backInStockDate: string | null;
  /**
   * Of the expected units, those not yet taken by units already waiting: backordered units beyond these
   * would not arrive by `backInStockDate` (the server's per-line ETA rule). Null when no date is sent or
   * numbers are withheld; components then show the date for every backordered unit.
   */
  incomingLeft: number | null;
}

/** A variant's item, with the option values that select it on the product form. */
export interface VariantAvailability extends ItemAvailability {
  /**
   * `[optionId, optionValueId]` pairs (catalog `option_values[].option_id` / `.id`): the form's
   * `attribute[optionId]` inputs carry these value ids, so the variant is found from the selections
   * even when the theme fires no event the components understand.
   */
  options: Array<[number, number]>;
}

/** Theme families the components know; `custom` takes its selectors from the settings. */
export type ThemeProfileName = 'cornerstone' | 'cornerstone-legacy' | 'halothemes' | 'pixel-union' | 'papathemes' | 'custom';

/** `Intl.DateTimeFormat` date styles that name the month in words (`short` is digits only, read differently by language). */
export type DateStyle = 'full' | 'long' | 'medium';

/**
 * The store's storefront settings as sent: `server/settings/storefront-settings.schema.ts` without
 * `enabled` (a disabled store answers `settings: null`). Texts are plain text with placeholders
 * (`{quantity}`, `{backordered}`, `{onHand}`, `{salable}`, `{date}`, `{name}`, `{inCart}`); an empty text is not shown.
 * Colours are `#rgb`/`#rrggbb`, or empty for the theme's own.
 */
export interface StorefrontSettingsView {
  themeProfile: ThemeProfileName;
  /** Used when `themeProfile` is `custom`: CSS selectors over Cornerstone's; empty keeps Cornerstone's. */
  customSelectors: CustomSelectors;
  /** A BCP 47 tag for dates and numbers; empty: the shopper's (`<html lang>`, then the browser's). */
  locale: string;
  backInStockDate: { show: boolean; dateStyle: DateStyle; text: string };
  inventoryDescription: { enabled: boolean; inStockText: string; backorderText: string; soldOutText: string };
  shippingDescription: { enabled: boolean; inStockText: string; backorderText: string };
  addToCartButton: { restyle: boolean; text: string; backgroundColor: string; textColor: string };
  quantityMessage: { enabled: boolean; backorderedText: string; overLimitText: string; overLimitInCartText: string };
  addToCartMessage: { enabled: boolean; backorderedText: string; overLimitText: string; overLimitInCartText: string };
  /** `inStockText` is never shown: it is announced when a line that said one of the others is changed to ship all from stock. */
  cartMessage: { enabled: boolean; backorderedText: string; overLimitText: string; inStockText: string };
  badge: { enabled: boolean; backorderText: string; soldOutText: string; backgroundColor: string; textColor: string };
  checkoutNotice: {
    enabled: boolean;
    checkoutHeading: string;
    confirmationHeading: string;
    lineText: string;
    overLimitLineText: string;
    overLimitHeading: string;
  };
}

/** Selectors a merchant gives for a theme none of the profiles fits. */
export interface CustomSelectors {
  productView: string;
  productForm: string;
  productId: string;
  productOptions: string;
  quantityInput: string;
  addToCartButton: string;
  /** The wallet ("buy now") buttons' containers, held with Add to Cart. */
  walletButtons: string;
  inventoryDescriptionAnchor: string;
  shippingDescriptionAnchor: string;
  quickView: string;
  card: string;
  cardBadgeAnchor: string;
  cartRow: string;
  cartQuantityInput: string;
  cartMessageAnchor: string;
}
