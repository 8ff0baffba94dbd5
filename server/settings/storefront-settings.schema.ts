/**
 * What shoppers see: which theme profile places the components, and the texts and colours of the
 * messages. Read by the storefront API (sent as `StorefrontSettingsView`, see
 * storefront/src/contract/storefront-api.ts); edited in the admin's Settings tab. The names are stable API.
 *
 * Texts are plain text (escaped when shown) and may use these placeholders:
 * - `{quantity}`    the units the shopper chose (product page) or the cart line's quantity
 * - `{backordered}` of those, the units beyond what is on hand
 * - `{onHand}`      units ready to ship
 * - `{salable}`     the most units that can be ordered now (on the product page: beyond those already in the cart)
 * - `{inCart}`      units of the item already in the shopper's cart (product page messages)
 * - `{date}`        the back-in-stock date, formatted in the shopper's locale (only in `backInStockDate.text`,
 *                   the sentence added after the messages that concern backordered units when a date is known)
 * - `{name}`        the product's name, with the line's option values: "Towel (Grey, M)" (checkout notice lines)
 * Each text accepts only the placeholders listed for it below; an unknown one is a validation error.
 */
import { z } from 'zod';
import { noControlCharacters } from './control-characters.ts';
import { encodeLoaderSelectors, LOADER_SELECTORS_MAX_LENGTH, loaderSelectorsOf } from './loader-selectors.ts';

export const THEME_PROFILES = ['cornerstone', 'cornerstone-legacy', 'halothemes', 'pixel-union', 'papathemes', 'custom'] as const;

export const PLACEHOLDERS = ['quantity', 'backordered', 'onHand', 'salable', 'date', 'name', 'inCart'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Placeholders that reveal stock levels: a text using one makes the storefront API send exact numbers. */
export const STOCK_NUMBER_PLACEHOLDERS: readonly Placeholder[] = ['onHand', 'salable', 'backordered'];

export const TEXT_MAX_LENGTH = 200;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const HEX_COLOUR = /^(#[0-9a-f]{3}|#[0-9a-f]{6})?$/i;
/**
 * The date styles shoppers may be shown, as `Intl.DateTimeFormat` names them. Its `short` is withdrawn: it
 * writes the day and month as digits in an order that differs between languages (3/4/27 in en-US,
 * 04/03/2027 in en-GB), so a shopper cannot tell March from April; a store that chose it reads as `medium`.
 */
export const DATE_STYLES = ['full', 'long', 'medium'] as const;

/** BCP 47 as far as a setting needs: language, then subtags; empty means the shopper's locale. */
const LOCALE = /^([a-z]{2,3}(-[a-z0-9]{2,8})*)?$/i;

/** The placeholder names a text uses. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** What the admin's form learns from a field's schema (zod's metadata): its kind and, for texts, its placeholders. */
export type FieldMeta = { kind: 'colour' } | { kind: 'text'; allowed: readonly Placeholder[]; required: readonly Placeholder[]; optional: boolean };

interface TextOptions {
  /** Placeholders this text may use. */
  allowed?: readonly Placeholder[];
  /** Placeholders it must use. */
  required?: readonly Placeholder[];
  /** An empty text means "show nothing here". */
  optional?: boolean;
}

function text(fallback: string, { allowed = [], required = [], optional = false }: TextOptions = {}) {
  return z
    .string()
    .trim()
    .superRefine(noControlCharacters())
    .min(optional ? 0 : 1, { message: 'Enter a text.' })
    .max(TEXT_MAX_LENGTH, { message: `Use at most ${TEXT_MAX_LENGTH} characters.` })
    .refine((value) => placeholdersIn(value).every((name) => (allowed as readonly string[]).includes(name)), {
      message: allowed.length
        ? `Only these placeholders can be used here: ${allowed.map((name) => `{${name}}`).join(', ')}.`
        : 'This text cannot use placeholders.',
    })
    .refine((value) => required.every((name) => placeholdersIn(value).includes(name)), {
      message: `Include ${required.map((name) => `{${name}}`).join(', ')}.`,
    })
    .default(fallback)
    .meta({ kind: 'text', allowed, required, optional } satisfies FieldMeta);
}

const colour = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(HEX_COLOUR, { message: 'Use a hex colour such as #1a73e8, or leave it empty for the theme’s.' })
    .default(fallback)
    .meta({ kind: 'colour' } satisfies FieldMeta);

const selector = z
  .string()
  .trim()
  .superRefine(noControlCharacters())
  .max(300, { message: 'Use at most 300 characters.' })
  .refine((value) => !/[{}<;]/.test(value), { message: 'Enter a CSS selector (no braces, semicolons or markup).' })
  .default('');

const QUANTITY_NUMBERS = ['quantity', 'backordered', 'onHand', 'salable'] as const;
/** On the product page the shopper's cart counts too. */
const CHOICE_NUMBERS = [...QUANTITY_NUMBERS, 'inCart'] as const;

/** Empty fields fall back to the Cornerstone profile's selectors. */
export const customSelectorsSchema = z.object({
  productView: selector,
  productForm: selector,
  productId: selector,
  productOptions: selector,
  quantityInput: selector,
  addToCartButton: selector,
  walletButtons: selector,
  inventoryDescriptionAnchor: selector,
  shippingDescriptionAnchor: selector,
  quickView: selector,
  card: selector,
  cardBadgeAnchor: selector,
  cartRow: selector,
  cartQuantityInput: selector,
  cartMessageAnchor: selector,
});

const storefrontSettingsObject = z.object({
  /** Show backorder messages on the storefront at all. */
  enabled: z.boolean().default(true),
  themeProfile: z.enum(THEME_PROFILES, { message: 'Choose one of the listed themes.' }).default('cornerstone'),
  customSelectors: customSelectorsSchema.prefault({}),
  /** Dates and numbers in this locale; empty: the shopper's. */
  locale: z.string().trim().regex(LOCALE, { message: 'Use a language tag such as en-US, or leave it empty.' }).default(''),
  backInStockDate: z
    .object({
      /** Show the back-in-stock date to shoppers (the storefront API leaves it out otherwise). */
      show: z.boolean().default(true),
      dateStyle: z
        .preprocess((style) => (style === 'short' ? 'medium' : style), z.enum(DATE_STYLES, { message: 'Choose one of the listed date styles.' }))
        .default('long'),
      /** Added after the inventory and shipping descriptions, cart and checkout lines when a date is known. */
      text: text('Expected back in stock on {date}.', { allowed: ['date'], required: ['date'] }),
    })
    .prefault({}),
  /** Near the price: what the chosen product or variant's stock is. */
  inventoryDescription: z
    .object({
      enabled: z.boolean().default(true),
      inStockText: text('In stock', { allowed: ['onHand', 'salable'], optional: true }),
      backorderText: text('Out of stock – available on backorder', { allowed: ['salable'] }),
      soldOutText: text('Sold out'),
    })
    .prefault({}),
  /** Under Add to Cart: when the chosen quantity ships. */
  shippingDescription: z
    .object({
      enabled: z.boolean().default(true),
      inStockText: text('', { allowed: ['quantity', 'onHand'], optional: true }),
      backorderText: text('Backordered items ship as soon as they are back in stock.', { allowed: [...QUANTITY_NUMBERS] }),
    })
    .prefault({}),
  /** The theme's Add to Cart button, for items with nothing on hand that can be backordered. */
  addToCartButton: z
    .object({
      restyle: z.boolean().default(true),
      text: text('Backorder'),
      backgroundColor: colour('#8a4b00'),
      textColor: colour('#ffffff'),
    })
    .prefault({}),
  /** Live under the quantity field as the quantity changes. */
  quantityMessage: z
    .object({
      enabled: z.boolean().default(true),
      backorderedText: text('{backordered} of {quantity} will be backordered.', { allowed: CHOICE_NUMBERS }),
      overLimitText: text('Only {salable} can be ordered.', { allowed: CHOICE_NUMBERS }),
      /** Instead of `overLimitText` when the shopper's cart already holds units of the item. */
      overLimitInCartText: text('You have {inCart} in your cart; only {salable} more can be ordered.', { allowed: CHOICE_NUMBERS }),
    })
    .prefault({}),
  /** After Add to Cart is pressed: the added quantity includes backordered units, or asks for too many. */
  addToCartMessage: z
    .object({
      enabled: z.boolean().default(true),
      backorderedText: text('{backordered} of the {quantity} added to your cart will be backordered.', { allowed: CHOICE_NUMBERS }),
      overLimitText: text('{quantity} could not be added: only {salable} can be ordered. Lower the quantity and try again.', {
        allowed: CHOICE_NUMBERS,
      }),
      /** Instead of `overLimitText` when the shopper's cart already holds units of the item. */
      overLimitInCartText: text('{quantity} could not be added: you have {inCart} in your cart and only {salable} more can be ordered.', {
        allowed: CHOICE_NUMBERS,
      }),
    })
    .prefault({}),
  /** Per cart line, on the cart page and in the cart previews. */
  cartMessage: z
    .object({
      enabled: z.boolean().default(true),
      backorderedText: text('{backordered} of {quantity} will be backordered.', { allowed: QUANTITY_NUMBERS }),
      overLimitText: text('Only {salable} can be ordered. Lower the quantity before checking out.', { allowed: QUANTITY_NUMBERS }),
      /**
       * Not shown: heard by screen readers, after the line's name, when a line that said one of the texts above is
       * changed so that all of it ships from stock; its message goes quiet, which alone would tell them nothing.
       */
      inStockText: text('None will be backordered now.', { allowed: QUANTITY_NUMBERS }),
    })
    .prefault({}),
  /** On product cards (category, search, brand pages). */
  badge: z
    .object({
      enabled: z.boolean().default(true),
      backorderText: text('Backorder'),
      soldOutText: text('Sold out', { optional: true }),
      backgroundColor: colour('#8a4b00'),
      textColor: colour('#ffffff'),
    })
    .prefault({}),
  /** On checkout and order confirmation: the backordered items and when they are expected. */
  checkoutNotice: z
    .object({
      enabled: z.boolean().default(true),
      checkoutHeading: text('Some items will be backordered'),
      confirmationHeading: text('Some items in this order are backordered'),
      lineText: text('{name}: {backordered} of {quantity} backordered.', { allowed: ['name', 'quantity', 'backordered'] }),
      /** Instead of `lineText` for a line asking for more than can be ordered: its units beyond are not backordered. */
      overLimitLineText: text('{name}: only {salable} of {quantity} can be ordered.', { allowed: ['name', 'quantity', 'salable'] }),
      /** Heads the lines asking for more than can be ordered (listed first, apart from the backordered ones). */
      overLimitHeading: text('Some items are asked for in more than can be ordered'),
    })
    .prefault({}),
});

/** The storefront settings, with the Custom selectors the loader's URL carries kept within its limit. */
export const storefrontSettingsSchema = storefrontSettingsObject.superRefine((settings, ctx) => {
  // The Custom profile's product-finding selectors travel in the loader's URL; every one of them is named,
  // so the merchant sees where to shorten (and a stored value past the limit falls back whole).
  const selectors = loaderSelectorsOf(settings);
  if (!selectors || encodeLoaderSelectors(selectors).length <= LOADER_SELECTORS_MAX_LENGTH) return;
  for (const [name, value] of Object.entries(selectors)) {
    if (!value) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['customSelectors', name],
      message: `Together, the product view, product id and card selectors are too long for the storefront script's address (at most ${LOADER_SELECTORS_MAX_LENGTH} characters once encoded); shorten them.`,
    });
  }
});

export type StorefrontSettings = z.infer<typeof storefrontSettingsSchema>;

/** Every text of the settings, with its path (`quantityMessage.backorderedText`). */
export function storefrontTexts(settings: StorefrontSettings): Array<[path: string, text: string]> {
  const texts: Array<[string, string]> = [];
  for (const [group, value] of Object.entries(settings)) {
    if (typeof value !== 'object' || value === null || group === 'customSelectors') continue;
    for (const [key, field] of Object.entries(value)) {
      if (typeof field === 'string' && /[tT]ext$|Heading$/.test(key)) texts.push([`${group}.${key}`, field]);
    }
  }
  return texts;
}

/**
 * Whether a shown text uses a stock number, which makes the storefront API send exact numbers. The
 * `…InCartText`s and the checkout notice's over-limit line do not count: they show only when the hold applies
 * (a line over the limit), which already needs exact numbers, so a store that chose texts without numbers keeps
 * them withheld.
 */
export function textsUseStockNumbers(settings: StorefrontSettings): boolean {
  const shown = (path: string) => {
    if (path.endsWith('InCartText') || path === 'checkoutNotice.overLimitLineText') return false;
    const group = (settings as Record<string, unknown>)[path.split('.')[0]!] as { enabled?: boolean; show?: boolean };
    return group.enabled !== false && group.show !== false;
  };
  return storefrontTexts(settings).some(
    ([path, value]) => shown(path) && placeholdersIn(value).some((name) => STOCK_NUMBER_PLACEHOLDERS.includes(name as Placeholder)),
  );
}
