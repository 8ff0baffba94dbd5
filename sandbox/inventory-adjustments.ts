/**
 * `POST /v3/inventory/adjustments/relative` (ref §4.1–4.4): each item, named by exactly one of `product_id`,
 * `variant_id` or `sku` at a location, has its level moved by `quantity` — and, native backorders on
 * (ref §9, native-backorders.ts), its qty backordered by `qty_backordered`. The identity must match the
 * product's tracking mode (422 with BigCommerce's title), neither may go below 0, and the request is all
 * or nothing. Levels move through the same writers as a control-panel edit, so the same events fire.
 * `PUT /v3/inventory/locations/{id}/items` (ref §4.2, §9) sets items' settings, the backorder limit among them.
 */
import { BcError, invalid } from './api-error.ts';
import { MAX_LEVEL, productLevel, stockSource, writeProductLevel, writeVariantLevel } from './inventory.ts';
import type { Product, Variant } from './model.ts';
import { backorderHolder } from './native-backorders.ts';
import { isSimple, type StoreContext } from './store-context.ts';

const MAX_ITEMS = 2_000;

interface Item {
  product: Product;
  /** The variant whose level moves; undefined: the product's own level. */
  variant: Variant | undefined;
}

interface Target extends Item {
  units: number;
  backordered: number;
}

/** The tracked item an entry names (`item` carries `product_id`, `variant_id` or `sku`), as its tracking mode allows. */
function itemOf(store: StoreContext, item: Record<string, unknown>, at: string): Item {
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
  return { product, variant };
}

function checkLocation(item: Record<string, unknown>, at: string): void {
  if (item['location_id'] !== undefined && item['location_id'] !== 1)
    throw invalid({ [`${at}.location_id`]: `location ${String(item['location_id'])} does not exist` });
}

function targetOf(store: StoreContext, raw: unknown, i: number): Target {
  const item = (raw ?? {}) as Record<string, unknown>;
  const at = `items.${i}`;
  const backordered = store.state.switches.nativeBackorders ? (item['qty_backordered'] ?? 0) : 0;
  if (!Number.isInteger(backordered)) throw invalid({ [`${at}.qty_backordered`]: 'qty_backordered must be a whole number' });
  const units = item['quantity'] ?? (item['qty_backordered'] !== undefined ? 0 : undefined);
  if (!Number.isInteger(units)) throw invalid({ [`${at}.quantity`]: 'quantity must be a whole number' });
  checkLocation(item, at);
  return { ...itemOf(store, item, at), units: units as number, backordered: backordered as number };
}

/** Applies a relative adjustment, all or nothing. */
export function adjustRelative(store: StoreContext, items: unknown): void {
  if (!Array.isArray(items) || items.length === 0) throw invalid({ items: 'at least one item is required' });
  if (items.length > MAX_ITEMS) throw invalid({ items: `at most ${MAX_ITEMS} items a request` });
  const targets = items.map((raw, i) => targetOf(store, raw, i));
  const after = new Map<Product | Variant, number>();
  const backordered = new Map<Variant, number>();
  for (const t of targets) {
    const holder = t.variant ?? t.product;
    const before = after.get(holder) ?? (t.variant ? t.variant.inventory_level : productLevel(t.product));
    const level = before + t.units;
    if (level < 0) throw invalid({ items: `the adjustment would take the level of ${t.variant?.sku ?? t.product.sku} below 0 (it is ${before})` });
    after.set(holder, Math.min(MAX_LEVEL, level));
    const native = backorderHolder(t.product, t.variant ?? t.product.variants[0]!);
    const owed = (backordered.get(native) ?? native.qty_backordered ?? 0) + t.backordered;
    if (owed < 0) throw invalid({ items: `the adjustment would take qty_backordered of ${t.variant?.sku ?? t.product.sku} below 0` });
    backordered.set(native, owed);
  }
  for (const t of targets) {
    const level = after.get(t.variant ?? t.product)!;
    if (t.variant) writeVariantLevel(store, t.product, t.variant, level);
    else writeProductLevel(store, t.product, level);
    t.product.date_modified = store.now();
  }
  for (const [holder, owed] of backordered) holder.qty_backordered = owed;
  store.changed();
}

/**
 * Sets items' settings at a location, all or nothing (ref §4.2): at least one setting per entry, among them
 * native backorders' `backorder_limit` (a whole number ≥ 0) and `unlimited_backorder` (true: no limit).
 */
export function updateLocationItems(store: StoreContext, locationId: number, settings: unknown): void {
  if (locationId !== 1) throw new BcError(404, `Location ${locationId} was not found.`);
  if (!Array.isArray(settings) || settings.length === 0) throw invalid({ settings: 'at least one item is required' });
  if (settings.length > MAX_ITEMS) throw invalid({ settings: `at most ${MAX_ITEMS} items a request` });
  // The beta's fields are kept whether native backorders are on or not; they count only while on.
  const known = ['safety_stock', 'is_in_stock', 'warning_level', 'bin_picking_number', 'backorder_limit', 'unlimited_backorder'];
  const writes = settings.map((raw, i) => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const at = `setting.${i}`;
    if (!known.some((k) => entry[k] !== undefined)) throw invalid({ [`${at}.settings`]: `At least one setting must be specified: ${known.join(', ')}` });
    const limit = entry['backorder_limit'];
    if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) >= 0))
      throw invalid({ [`${at}.backorder_limit`]: 'backorder_limit must be a whole number ≥ 0' });
    const unlimited = entry['unlimited_backorder'];
    if (unlimited !== undefined && typeof unlimited !== 'boolean')
      throw invalid({ [`${at}.unlimited_backorder`]: 'unlimited_backorder must be true or false' });
    const { product, variant } = itemOf(store, (entry['identity'] ?? {}) as Record<string, unknown>, `${at}.identity`);
    return {
      holder: backorderHolder(product, variant ?? product.variants[0]!),
      limit: limit as number | undefined,
      unlimited: unlimited as boolean | undefined,
    };
  });
  for (const { holder, limit, unlimited } of writes) {
    if (unlimited === true) holder.backorder_limit = null;
    else if (limit !== undefined) holder.backorder_limit = limit;
    else if (unlimited === false && holder.backorder_limit === null) holder.backorder_limit = 0;
  }
  store.changed();
}
