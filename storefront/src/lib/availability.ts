/**
 * The stock arithmetic a shopper's choice needs, on the numbers the storefront API sent: which item a
 * product/variant is, and how a quantity splits into units from stock, backordered units and units
 * beyond what can be ordered.
 */
import type { ItemAvailability, ItemStatus, ProductAvailability, VariantAvailability } from '../contract/storefront-api.ts';

/** The item for a product, or for one of its variants; undefined when it is not known. */
export function itemFor(product: ProductAvailability | undefined, variantId?: string | number | null): ItemAvailability | undefined {
  if (!product) return undefined;
  if (product.item) return product.disabledVariants?.[String(variantId)] ? undefined : product.item;
  return variantId === undefined || variantId === null ? undefined : product.variants?.[String(variantId)];
}

/** The variants a choice on the product form can name: each item's, or those disabled of a product tracked as a whole. */
export function variantsOf(product: ProductAvailability | undefined): Record<string, Pick<VariantAvailability, 'options'>> | undefined {
  return product?.variants ?? product?.disabledVariants;
}

/**
 * The variant whose option values are all among the form's selections (`optionId → valueId`, 0 for an
 * option not chosen yet); null when the form shows every variant's options but picks none ("Choose
 * Options", a combination none has) or there are no variants; undefined when it cannot tell (options it
 * does not show, or a variant whose options are not known here), so what the theme reported stands.
 */
export function variantForSelections(product: ProductAvailability | undefined, selections: Map<number, number>): string | null | undefined {
  const variants = Object.entries(variantsOf(product) ?? {});
  for (const [variantId, variant] of variants) {
    if (variant.options.length > 0 && variant.options.every(([option, value]) => selections.get(option) === value)) return variantId;
  }
  return variants.every(([, variant]) => variant.options.some(([option]) => selections.has(option))) ? null : undefined;
}

/** How a product reads on a card: in stock if any item is, else on backorder if any is, else sold out. */
export function productStatus(product: ProductAvailability | undefined): ItemStatus | undefined {
  const items = product ? (product.item ? [product.item] : Object.values(product.variants ?? {})) : [];
  if (items.length === 0) return undefined;
  for (const status of ['in_stock', 'backorder'] as const) if (items.some((item) => item.status === status)) return status;
  return 'sold_out';
}

export interface QuantitySplit {
  quantity: number;
  /** Units that ship from stock; null when numbers are withheld. */
  fromStock: number | null;
  /** Units beyond what is on hand; null when numbers are withheld. */
  backordered: number | null;
  /** More is asked for than can be ordered. */
  overLimit: boolean;
  /** Nothing of the item can be ordered at all (status `sold_out`), not merely nothing left after `earlier`. */
  soldOut: boolean;
  /** The most units that can be ordered for this choice (after `earlier`); null when unlimited or unknown. */
  salable: number | null;
  onHand: number | null;
  /** Units of the item counted before this choice: already in the cart (product page) or on earlier cart lines. */
  inCart: number;
}

/**
 * Splits `quantity` units of an item, after `earlier` units of the same item already counted (in the
 * shopper's cart, or an earlier cart line), which take stock and room first.
 */
export function splitQuantity(item: ItemAvailability, quantity: number, earlier = 0): QuantitySplit {
  const onHand = item.status === 'in_stock' ? item.onHand : 0;
  const salable = item.status === 'sold_out' ? 0 : item.salable;
  const onHandLeft = onHand === null ? null : Math.max(0, onHand - earlier);
  const fromStock = onHandLeft === null ? null : Math.min(quantity, onHandLeft);
  const salableLeft = salable === null ? null : Math.max(0, salable - earlier);
  return {
    quantity,
    fromStock,
    backordered: fromStock === null ? null : quantity - fromStock,
    overLimit: salableLeft !== null && quantity > salableLeft,
    soldOut: item.status === 'sold_out',
    salable: salableLeft,
    onHand: onHandLeft,
    inCart: earlier,
  };
}

/**
 * The back-in-stock date for a choice's backordered units, after `backorderedBefore` backordered units of
 * the same item counted earlier: the date only while the expected units cover them all, as the server
 * gives a waiting line its ETA. Null without backordered units or a date.
 */
export function etaFor(item: ItemAvailability, backordered: number | null, backorderedBefore = 0): string | null {
  if (!item.backInStockDate || !backordered) return null;
  const left = item.incomingLeft ?? null;
  return left === null || backorderedBefore + backordered <= left ? item.backInStockDate : null;
}
