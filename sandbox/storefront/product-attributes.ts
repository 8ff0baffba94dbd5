/**
 * What `POST /remote/v1/product-attributes/{id}` answers in `data` for a selection of option values, and what
 * product pages embed as `BCData.product_attributes` for the default selection (ref §8.4, stencil §1.4, §5.4).
 *
 * Readings (the reference marks them inferred): `purchasable` is about the combination being sellable
 * (availability, `purchasing_disabled`), `instock` about stock — a public sample shows `purchasable: true` with
 * `instock: false`; an untracked product is always in stock; `stock` is null whenever the store does not show
 * stock levels (setting `stock_level_display`, pre-orders unless `show_pre_order_stock_levels`), while the
 * native-backorder fields (`available_to_sell` …) carry the level regardless, as a live capture shows. The
 * sandbox has no native backorders: nothing is ever available for backorder.
 */
import { availableFor, stockSource } from '../inventory.ts';
import type { InventorySettings, Product, Variant } from '../model.ts';
import { calculatedPrice, isSimple } from '../store-context.ts';
import { priceValue } from './money.ts';

/** Option id → chosen value id, as the add-to-cart form's `attribute[ID]` fields carry them. */
export type Attributes = Map<number, number>;

export interface Resolution {
  /** The chosen variant: the base variant of a product without options, undefined while a choice is missing. */
  variant: Variant | undefined;
  /** Variants that still fit the values chosen so far. */
  candidates: Variant[];
}

/** The variant a selection names, if every option has a value that exists. */
export function resolveSelection(product: Product, attributes: Attributes): Resolution {
  if (isSimple(product)) return { variant: product.variants[0], candidates: product.variants.slice(0, 1) };
  const candidates = product.variants.filter((variant) =>
    variant.option_values.every((value) => !attributes.has(value.option_id) || attributes.get(value.option_id) === value.id),
  );
  const complete = product.options.every((option) => attributes.has(option.id));
  return { variant: complete && candidates.length === 1 ? candidates[0] : undefined, candidates };
}

/** Units a shopper may still take of this variant, or null when its product is untracked. */
export function unitsAvailable(product: Product, variant: Variant): number | null {
  return availableFor(product, variant);
}

function inStock(product: Product, variant: Variant): boolean {
  const units = availableFor(product, variant);
  return units === null || units > 0;
}

function warningLevel(product: Product, variant: Variant | undefined): number {
  return stockSource(product) === 'variant' && variant ? variant.inventory_warning_level : product.inventory_warning_level;
}

/** The level as the storefront shows it, or null when the store's settings hide it (ref §4.6, §8.4). */
export function shownStock(settings: InventorySettings, product: Product, variant: Variant | undefined, level: number | null): number | null {
  if (level === null) return null;
  if (product.availability === 'preorder' && !settings.show_pre_order_stock_levels) return null;
  if (settings.stock_level_display === 'show') return level;
  if (settings.stock_level_display === 'show_when_low') return level <= warningLevel(product, variant) ? level : null;
  return null;
}

/** The price block of `data` (ref §8.4 `price`): the sale price with the price it replaces, the retail price. */
export function priceData(product: Product, variant: Variant | undefined): Record<string, unknown> {
  const base = variant?.price ?? product.price;
  const paid = calculatedPrice(product, variant);
  const retail = variant?.retail_price ?? (product.retail_price > 0 ? product.retail_price : null);
  const price: Record<string, unknown> = { without_tax: priceValue(paid), tax_label: 'Tax' };
  if (paid < base) price.non_sale_price_without_tax = priceValue(base);
  if (retail !== null && retail > paid) price.rrp_without_tax = priceValue(retail);
  const reference = Math.max(base, retail ?? 0);
  if (reference > paid) price.saved = priceValue(reference - paid);
  return price;
}

/** Value ids of `option` that, with the other values chosen, lead to a variant for which `test` holds. */
function valuesWhere(product: Product, attributes: Attributes, test: (variant: Variant) => boolean): number[] {
  const ids: number[] = [];
  for (const option of product.options) {
    for (const value of option.values) {
      const fits = product.variants.some(
        (variant) =>
          variant.option_values.some((v) => v.id === value.id) &&
          variant.option_values.every((v) => v.option_id === option.id || !attributes.has(v.option_id) || attributes.get(v.option_id) === v.id) &&
          test(variant),
      );
      if (fits) ids.push(value.id);
    }
  }
  return ids;
}

/** `data` for a selection (ref §8.4 field list), computed from the store's model and inventory settings. */
export function productAttributesData(settings: InventorySettings, product: Product, attributes: Attributes): Record<string, unknown> {
  const { variant, candidates } = resolveSelection(product, attributes);
  const chosen = variant ? [variant] : candidates;
  // While a choice is missing, the product-level answer: a product tracked by product still has one level.
  const level = variant
    ? availableFor(product, variant)
    : stockSource(product) === 'product' && product.variants[0]
      ? availableFor(product, product.variants[0])
      : null;
  const instock = chosen.some((v) => inStock(product, v));
  const sellable = product.availability !== 'disabled' && chosen.some((v) => !v.purchasing_disabled);
  const disabledMessage = variant?.purchasing_disabled
    ? variant.purchasing_disabled_message || 'The selected product combination is currently unavailable.'
    : null;
  const selected = Object.fromEntries([...attributes].filter(([optionId]) => product.options.some((o) => o.id === optionId)));
  return {
    sku: variant && !isSimple(product) ? variant.sku : product.sku,
    upc: variant?.upc ?? '',
    mpn: variant?.mpn ?? '',
    gtin: variant?.gtin ?? '',
    weight: { value: variant?.weight ?? product.weight, formatted: `${(variant?.weight ?? product.weight).toFixed(2)} oz` },
    base: !variant || isSimple(product),
    image: null,
    price: priceData(product, variant),
    // v2 combination id (wishlists) and the v3 variant id a cart line carries (ref §8.4).
    variantId: variant?.sku_id ?? null,
    v3_variant_id: variant?.id ?? null,
    stock: shownStock(settings, product, variant, level),
    instock,
    purchasable: sellable,
    stock_message: instock ? null : settings.default_out_of_stock_message,
    purchasing_message: disabledMessage,
    out_of_stock_behavior: settings.option_out_of_stock_behavior,
    out_of_stock_message: settings.default_out_of_stock_message,
    in_stock_attributes: valuesWhere(product, attributes, (v) => inStock(product, v)),
    available_variant_values: valuesWhere(product, attributes, () => true),
    available_modifier_values: [],
    selected_attributes: selected,
    disabled_option_values: [],
    bulk_discount_rates: [],
    available_on_hand: level,
    available_for_backorder: 0,
    available_to_sell: level,
    unlimited_backorder: false,
    show_backorder_availability_prompt: false,
    backorder_availability_prompt: null,
    backorder_message_id: null,
    selected_picklist_options: [],
    picklist_products_details: [],
  };
}

/** Reads `attribute[ID]=VALUE` pairs of a serialized add-to-cart form into a selection. */
export function attributesFrom(pairs: Array<[string, string]>): Attributes {
  const attributes: Attributes = new Map();
  for (const [key, value] of pairs) {
    const match = /^attribute\[(\d+)\]$/.exec(key);
    if (match && /^\d+$/.test(value)) attributes.set(Number(match[1]), Number(value));
  }
  return attributes;
}
