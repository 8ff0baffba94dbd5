/**
 * A theme profile: where the components attach in one theme family, as data. The code that mounts
 * components reads these fields and has no per-theme branches; a new theme is a new profile.
 * Every lookup of a product view's parts is made inside that view, never by id on the document,
 * because a quick view repeats the page's ids.
 */
import type { ThemeProfileName } from '../storefront-api.ts';

export type Where = 'beforebegin' | 'afterbegin' | 'beforeend' | 'afterend';

/** Insert next to the first element matching `selector` (inside the view, row or card). */
export interface Anchor {
  selector: string;
  where: Where;
}

/** Where the chosen variant can be heard of, besides reading the form's selections. */
export type VariantSource =
  /** A CustomEvent whose `detail` holds the option-change `data` (Cornerstone's `onProductOptionsChanged`, either key order). */
  | { kind: 'event'; target: 'document' | 'window'; type: string }
  /** A stencil-utils hook on an instance the theme exposes on `window` (`{ err, response: { data } }`). */
  | { kind: 'stencil-hook'; globals: string[]; hook: string };

export interface ThemeProfile {
  name: ThemeProfileName;
  /** `theme-source`: read in the theme's code; `public-references`: drawn from public themes and add-ons, not verified here. */
  basis: 'theme-source' | 'public-references' | 'store-settings';
  product: {
    /** The root of one product view (product page or quick view). */
    view: string;
    /** Views inside these are not product views (Cornerstone's post-add preview repeats `.productView`). */
    notWithin: string;
    form: string;
    /** The element carrying the product id: an input's value or a `data-product-id`/`data-entity-id`. */
    productId: string;
    /** The element whose `change` events mean the selection changed. */
    options: string;
    quantity: string;
    /** +/- buttons that change the quantity without an input event. */
    quantityButtons: string;
    /** Add to Cart (and buy-now) buttons inside the view, to restyle. */
    addToCart: string;
    /** Inside a `<button>`, the element holding its label; empty: the button's own text or value. */
    buttonLabel: string;
    /** Buttons outside the view acting for the page's product (sticky add-to-cart bars); product page only. */
    pageButtons: string;
    /**
     * The containers of the wallet ("buy now": PayPal, Apple Pay…) buttons inside the view. They pay without
     * submitting the form, so while the quantity is over the limit the container is held whole.
     */
    walletButtons: string;
    /** Anchors are tried in order; the first that matches is used. */
    inventoryDescription: Anchor[];
    quantityMessage: Anchor[];
    shippingDescription: Anchor[];
    addToCartMessage: Anchor[];
    /** The theme's own stock and backorder texts, hidden for products the app handles so nothing contradicts. */
    nativeBackorder: string;
    /** The number in the theme's own "N in stock" label: for a product the app handles it reads what is on hand. */
    stockLevel: string;
    /** The container a quick view's product view is rendered into. */
    quickView: string;
  };
  variantSources: VariantSource[];
  /** The modal a successful add opens (and fills with the added item); null: the theme shows no such modal. */
  addedToCart: { modal: string; anchor: Anchor[] } | null;
  listing: {
    card: string;
    /** Attributes carrying the product id, on the card or its first descendant that has one. */
    cardProductId: string[];
    badge: Anchor[];
  };
  cart: {
    /** The container the theme re-renders; watched for mutations. */
    content: string;
    row: string;
    /** An element in the row whose `data-cart-itemid` is the line item id. */
    itemId: string;
    quantity: string;
    message: Anchor[];
    nativeBackorder: string;
  };
  cartPreview: {
    container: string;
    item: string;
    /** The item's product link, matched against the cart line's URL. */
    link: string;
    message: Anchor[];
  };
}
