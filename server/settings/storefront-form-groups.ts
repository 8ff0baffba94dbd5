/**
 * The Settings tab's storefront groups, in the merchant's words: which fields each group holds, their
 * labels and hints. Every field of storefront-settings.schema.ts appears exactly once (a test holds them
 * together); the kind of input comes from the schema (storefront-form.ts).
 */
import type { THEME_PROFILES } from './storefront-settings.schema.ts';

export interface FieldSpec {
  /** The schema path under the storefront settings. */
  path: string;
  label: string;
  hint?: string;
}

export interface SectionSpec {
  title: string;
  /** Shown only while the Custom profile is chosen. */
  custom?: boolean;
  /** A text and background colour pair whose contrast is checked. */
  colours?: { text: string; background: string };
  fields: FieldSpec[];
}

export interface GroupSpec {
  id: string;
  title: string;
  intro: string;
  sections: SectionSpec[];
}

export const THEME_LABELS: Record<(typeof THEME_PROFILES)[number], string> = {
  cornerstone: 'Cornerstone',
  'cornerstone-legacy': 'Cornerstone (before 6.0)',
  halothemes: 'Halothemes',
  'pixel-union': 'Pixel Union',
  papathemes: 'PapaThemes',
  custom: 'Custom (placed by theme snippets)',
};

/** What each Custom selector finds, for its hint. */
export const CUSTOM_SELECTOR_LABELS = {
  productView: 'The element around one product view (the product page’s, or a quick view’s).',
  productForm: 'The add-to-cart form inside the product view.',
  productId: 'The element carrying the product id (an input’s value, or data-product-id).',
  productOptions: 'The elements whose change means another option was chosen.',
  quantityInput: 'The quantity input.',
  addToCartButton: 'The Add to Cart button(s) to restyle.',
  walletButtons: 'The container of the wallet buttons (PayPal, Apple Pay…), held with Add to Cart while the quantity cannot be ordered.',
  inventoryDescriptionAnchor: 'The inventory description goes after this element.',
  shippingDescriptionAnchor: 'The shipping description goes after this element.',
  quickView: 'The container a quick view is opened in.',
  card: 'One product card on category, search and brand pages.',
  cardBadgeAnchor: 'The card’s badge goes after this element.',
  cartRow: 'One row of the cart page.',
  cartQuantityInput: 'The quantity input of a cart row.',
  cartMessageAnchor: 'The cart line’s message goes at the end of this element.',
} as const;

const selectorFields = (Object.keys(CUSTOM_SELECTOR_LABELS) as Array<keyof typeof CUSTOM_SELECTOR_LABELS>).map((key) => ({
  path: `customSelectors.${key}`,
  label: key.replace(/([A-Z])/g, (c) => ` ${c.toLowerCase()}`).replace(/^./, (c) => c.toUpperCase()),
}));

const EMPTY_HIDES = 'Leave it empty to show nothing here.';

export const STOREFRONT_GROUPS: GroupSpec[] = [
  {
    id: 'theme',
    title: 'Theme',
    intro: 'Where the messages are placed depends on your theme. Check your theme to see what BackOrder finds in your shop.',
    sections: [
      {
        title: 'Storefront',
        fields: [
          { path: 'enabled', label: 'Show backorder messages on the storefront' },
          { path: 'themeProfile', label: 'Theme' },
        ],
      },
      { title: 'Custom theme selectors', custom: true, fields: selectorFields },
    ],
  },
  {
    id: 'product-page',
    title: 'Product page',
    intro: 'What shoppers read beside the price and under Add to Cart, and how the Add to Cart button looks when an item is on backorder.',
    sections: [
      {
        title: 'Inventory description',
        fields: [
          { path: 'inventoryDescription.enabled', label: 'Show the inventory description' },
          { path: 'inventoryDescription.inStockText', label: 'In stock', hint: EMPTY_HIDES },
          { path: 'inventoryDescription.backorderText', label: 'On backorder' },
          { path: 'inventoryDescription.soldOutText', label: 'Sold out' },
        ],
      },
      {
        title: 'Shipping description',
        fields: [
          { path: 'shippingDescription.enabled', label: 'Show the shipping description' },
          { path: 'shippingDescription.inStockText', label: 'Ships now', hint: EMPTY_HIDES },
          { path: 'shippingDescription.backorderText', label: 'Some units backordered' },
          { path: 'backInStockDate.show', label: 'Show the back-in-stock date' },
          {
            path: 'backInStockDate.text',
            label: 'Back-in-stock date sentence',
            hint: 'Added after the messages about backordered units when a date is known.',
          },
          { path: 'backInStockDate.dateStyle', label: 'Date style' },
        ],
      },
      {
        title: 'Add to Cart button',
        colours: { text: 'addToCartButton.textColor', background: 'addToCartButton.backgroundColor' },
        fields: [
          { path: 'addToCartButton.restyle', label: 'Restyle for items on backorder' },
          { path: 'addToCartButton.text', label: 'Text' },
          { path: 'addToCartButton.backgroundColor', label: 'Background colour', hint: 'Empty: the theme’s.' },
          { path: 'addToCartButton.textColor', label: 'Text colour', hint: 'Empty: the theme’s.' },
        ],
      },
    ],
  },
  {
    id: 'add-to-cart',
    title: 'Add to Cart action',
    intro: 'Messages under the quantity as the shopper changes it, and after Add to Cart is pressed.',
    sections: [
      {
        title: 'Quantity messages',
        fields: [
          { path: 'quantityMessage.enabled', label: 'Show the quantity messages' },
          { path: 'quantityMessage.backorderedText', label: 'Some units backordered' },
          { path: 'quantityMessage.overLimitText', label: 'More than can be ordered' },
          { path: 'quantityMessage.overLimitInCartText', label: 'More than can be ordered, with some in the cart' },
        ],
      },
      {
        title: 'After Add to Cart is pressed',
        fields: [
          { path: 'addToCartMessage.enabled', label: 'Show a message after Add to Cart is pressed' },
          { path: 'addToCartMessage.backorderedText', label: 'Added with backordered units' },
          { path: 'addToCartMessage.overLimitText', label: 'Not added: more than can be ordered' },
          { path: 'addToCartMessage.overLimitInCartText', label: 'Not added: more than can be ordered, with some in the cart' },
        ],
      },
    ],
  },
  {
    id: 'cart',
    title: 'Cart page',
    intro: 'A message on each cart line, on the cart page and in the cart previews.',
    sections: [
      {
        title: 'Cart line messages',
        fields: [
          { path: 'cartMessage.enabled', label: 'Show cart line messages' },
          { path: 'cartMessage.backorderedText', label: 'Some units backordered' },
          { path: 'cartMessage.overLimitText', label: 'More than can be ordered' },
          {
            path: 'cartMessage.inStockText',
            label: 'No longer backordered (heard by screen readers)',
            hint: 'Not shown. Read out after the line’s name when the shopper lowers a line that was backordered or more than can be ordered so that all of it ships from stock.',
          },
        ],
      },
    ],
  },
  {
    id: 'cards',
    title: 'Product cards',
    intro: 'The badge on product cards of category, search and brand pages.',
    sections: [
      {
        title: 'Badge',
        colours: { text: 'badge.textColor', background: 'badge.backgroundColor' },
        fields: [
          { path: 'badge.enabled', label: 'Show badges' },
          { path: 'badge.backorderText', label: 'On backorder' },
          { path: 'badge.soldOutText', label: 'Sold out', hint: EMPTY_HIDES },
          { path: 'badge.backgroundColor', label: 'Background colour', hint: 'Empty: no background.' },
          { path: 'badge.textColor', label: 'Text colour', hint: 'Empty: the theme’s.' },
        ],
      },
    ],
  },
  {
    id: 'checkout',
    title: 'Checkout and confirmation',
    intro: 'The notice listing backordered items, and items asking for more than can be ordered, at checkout and on the order confirmation.',
    sections: [
      {
        title: 'Checkout notice',
        fields: [
          { path: 'checkoutNotice.enabled', label: 'Show the checkout notice' },
          { path: 'checkoutNotice.checkoutHeading', label: 'Heading at checkout' },
          { path: 'checkoutNotice.confirmationHeading', label: 'Heading on the order confirmation' },
          { path: 'checkoutNotice.lineText', label: 'One backordered item' },
          { path: 'checkoutNotice.overLimitLineText', label: 'One item asking for more than can be ordered' },
          { path: 'checkoutNotice.overLimitHeading', label: 'Heading over items asking for more than can be ordered' },
        ],
      },
    ],
  },
  {
    id: 'language',
    title: 'Language and dates',
    intro: 'Dates and numbers are written the way the shopper’s language writes them, unless you choose one.',
    sections: [
      {
        title: 'Language',
        fields: [{ path: 'locale', label: 'Language', hint: 'A language tag such as en-US or fr-FR; empty: the shopper’s.' }],
      },
    ],
  },
];
