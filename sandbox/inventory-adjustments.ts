/**
 * `POST /v3/inventory/adjustments/relative` (ref §4.1–4.4): each item, named by exactly one of `product_id`,
 * `variant_id` or `sku` at a location, has its level moved by `quantity`. The identity must match the
 * product's tracking mode (422 with BigCommerce's title), a level may not go below 0, and the request is
 * all or nothing. Levels move through the same writers as a control-panel edit, so the same events fire.
 */
import { BcError, invalid } from './api-error.ts';
import { MAX_LEVEL, productLevel, stockSource, writeProductLevel, writeVariantLevel } from './inventory.ts';
import type { Product, Variant } from './model.ts';
import { isSimple, type StoreContext } from './store-context.ts';

const MAX_ITEMS = 2_000;

interface Target {
  product: Product;
  /** The variant whose level moves; undefined: the product's own level. */
  variant: Variant | undefined;
  units: number;
}

function targetOf(store: StoreContext, raw: unknown, i: number): Target {
  const item = (raw ?? {}) as Record<string, unknown>;
  const at = `items.${i}`;
  if (!Number.isInteger(item['quantity'])) throw invalid({ [`${at}.quantity`]: 'quantity must be a whole number' });
  if (item['location_id'] !== undefined && item['location_id'] !== 1)
    throw invalid({ [`${at}.location_id`]: `location ${String(item['location_id'])} does not exist` });
  const named = ['product_id', 'variant_id', 'sku'].filter((k) => item[k] !== undefined);
  if (named.length !== 1) throw invalid({ [at]: 'exactly one of product_id, variant_id or sku identifies an item' });
  let product: Product | undefined;
  let variant: Variant | undefined;
  if (item['product_id'] !== undefined) product = store.products.get(Number(item['product_id']));
  else {
    for (const p of store.products.values()) {
      const v = p.variants.find((x) => (item['variant_id'] !== undefined ? x.id === item['variant_id'] : x.sku === item['sku']));
      if (v) [product, variant] = [p, v];
    }
  }
  if (!product) throw invalid({ [at]: `no item with ${named[0]} ${String(item[named[0]!])}` });
  const source = stockSource(product);
  if (source === null) throw new BcError(422, `[Item with ${named[0]} ${String(item[named[0]!])} is not tracked, please turn inventory tracking on first]`);
  if (source === 'product' && variant && !isSimple(product)) {
    throw new BcError(422, `[Item with variant_id ${variant.id} is tracked by product, please update stock by product id]`);
  }
  if (source === 'variant' && !variant) throw new BcError(422, `[Item with product_id ${product.id} is tracked by variant, please update stock by variant id]`);
  if (isSimple(product)) variant = product.variants[0];
  return { product, variant, units: item['quantity'] as number };
}

/** Applies a relative adjustment, all or nothing. */
export function adjustRelative(store: StoreContext, items: unknown): void {
  if (!Array.isArray(items) || items.length === 0) throw invalid({ items: 'at least one item is required' });
  if (items.length > MAX_ITEMS) throw invalid({ items: `at most ${MAX_ITEMS} items a request` });
  const targets = items.map((raw, i) => targetOf(store, raw, i));
  const after = new Map<Product | Variant, number>();
  for (const t of targets) {
    const holder = t.variant ?? t.product;
    const before = after.get(holder) ?? (t.variant ? t.variant.inventory_level : productLevel(t.product));
    const level = before + t.units;
    if (level < 0) throw invalid({ items: `the adjustment would take the level of ${t.variant?.sku ?? t.product.sku} below 0 (it is ${before})` });
    after.set(holder, Math.min(MAX_LEVEL, level));
  }
  for (const t of targets) {
    const level = after.get(t.variant ?? t.product)!;
    if (t.variant) writeVariantLevel(store, t.product, t.variant, level);
    else writeProductLevel(store, t.product, level);
    t.product.date_modified = store.now();
  }
  store.changed();
}
