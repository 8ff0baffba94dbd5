/**
 * Stock levels by tracking mode, and the inventory events BigCommerce fires for them.
 *
 * Where a level lives (ref §3.3, §3.4): a product without options keeps it on its base variant, read as the
 * product's `inventory_level` too; a product with options keeps a product level (used when tracked by
 * product) and one level per variant (used when tracked by variant), and reads as the sum of its variants'
 * levels while tracked by variant.
 */
import { BcError } from './api-error.ts';
import type { OrderLine, Product, Variant } from './model.ts';
import { backorderMove } from './native-backorders.ts';
import { isSimple, type StoreContext } from './store-context.ts';

/** Catalog levels are clamped to this, not refused (ref §4.4). */
export const MAX_LEVEL = 2_147_483_647;

/** The product's `inventory_level` as the Catalog API reads it. */
export function productLevel(product: Product): number {
  if (isSimple(product)) return product.variants[0]?.inventory_level ?? 0;
  if (product.inventory_tracking === 'variant') return product.variants.reduce((sum, v) => sum + v.inventory_level, 0);
  return product.product_level;
}

/** Checks and clamps a level written through the API (ref §3.3: 0…2147483647, clamped above). */
export function checkLevel(value: unknown, field = 'inventory_level'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new BcError(422, 'JSON data is missing or invalid', { errors: { [field]: `${field} must be a whole number ≥ 0` } });
  }
  return Math.min(value, MAX_LEVEL);
}

/** Writes a product's level (control panel, Catalog PUT) and fires what BigCommerce fires (ref §6.4). */
export function writeProductLevel(store: StoreContext, product: Product, level: number): boolean {
  if (isSimple(product)) return writeLevel(store, product, product.variants[0]!, level);
  // ref §3.3: meaningful only when tracked by product; a product tracked by variant reads its variants' sum.
  if (product.inventory_tracking === 'variant') return false;
  if (product.inventory_tracking === 'none' && store.state.switches.untrackedLevelWrites === 'ignore') return false;
  const before = product.product_level;
  if (before === level) return false;
  product.product_level = level;
  if (product.inventory_tracking === 'product') {
    fireAbsolute(store, product, undefined, before, level);
    store.fire('store/product/updated', { type: 'product', id: product.id });
  }
  return true;
}

/** Writes a variant's level (control panel, Catalog PUT) and fires what BigCommerce fires (ref §6.4). */
export function writeVariantLevel(store: StoreContext, product: Product, variant: Variant, level: number): boolean {
  return writeLevel(store, product, variant, level);
}

function writeLevel(store: StoreContext, product: Product, variant: Variant, level: number): boolean {
  const untracked = product.inventory_tracking === 'none';
  if (untracked && store.state.switches.untrackedLevelWrites === 'ignore') return false;
  const before = variant.inventory_level;
  if (before === level) return false;
  variant.inventory_level = level;
  if (isSimple(product)) {
    // ref §6.4: for a product without variants the event fires "regardless of how you track inventory"
    // (unconfirmed: switch inventoryEventsWhenUntracked); store/product/updated only while tracked.
    if (!untracked || store.state.switches.inventoryEventsWhenUntracked === 'documented') {
      fireAbsolute(store, product, undefined, before, level);
    }
    if (!untracked) store.fire('store/product/updated', { type: 'product', id: product.id });
  } else if (product.inventory_tracking === 'variant') {
    // ref §6.4: store/sku/inventory/updated only while tracked by variant; nothing while untracked.
    fireAbsolute(store, product, variant, before, level);
  }
  return true;
}

function inventoryValue(store: StoreContext, before: number, after: number): number {
  return store.state.switches.inventoryValue === 'level' ? after : after - before;
}

function fireAbsolute(store: StoreContext, product: Product, variant: Variant | undefined, before: number, after: number): void {
  const value = inventoryValue(store, before, after);
  if (variant) {
    store.fire('store/sku/inventory/updated', {
      type: 'sku',
      id: variant.sku_id,
      inventory: { product_id: product.id, variant_id: variant.id, method: 'absolute', value },
    });
  } else {
    store.fire('store/product/inventory/updated', {
      type: 'product',
      id: product.id,
      inventory: { product_id: product.id, method: 'absolute', value },
    });
  }
}

/** Where an order takes stock from under the product's current tracking, or null when untracked. */
export function stockSource(product: Product): 'product' | 'variant' | null {
  if (product.inventory_tracking === 'none') return null;
  if (isSimple(product) || product.inventory_tracking === 'product') return 'product';
  return 'variant';
}

/** The level an order line draws on, or null when its product is untracked. */
export function availableFor(product: Product, variant: Variant): number | null {
  const source = stockSource(product);
  if (source === null) return null;
  return source === 'variant' || isSimple(product) ? variant.inventory_level : product.product_level;
}

/**
 * Moves an order line's stock so it holds `target` units, firing the order-driven inventory events
 * (ref §6.4 `…/inventory/order/updated`, §4.6). Units go back only to where they were taken while the
 * product is still tracked that way (inferred: BigCommerce adjusts tracked stock only).
 */
export function holdStock(store: StoreContext, line: OrderLine, target: number): void {
  const delta = target - line.held;
  if (delta === 0) return;
  const product = store.products.get(line.product_id);
  const variant = product?.variants.find((v) => v.id === line.variant_id);
  const source = product ? stockSource(product) : null;
  const from = line.held > 0 ? line.held_on : source;
  if (!product || !variant || from === null || source !== from) {
    line.held = Math.max(0, Math.min(line.held, target));
    if (line.held === 0) line.held_on = null;
    return;
  }
  const onVariant = from === 'variant' || isSimple(product);
  const before = onVariant ? variant.inventory_level : product.product_level;
  // Native backorders take what on hand lacks (native-backorders.ts); the rest moves on hand.
  const onHandUnits = backorderMove(store, product, variant, line, delta, before);
  // Catalog levels never go below 0 (ref §3.3); a cancel still gives back the whole line (inferred).
  const after = Math.min(MAX_LEVEL, Math.max(0, before - onHandUnits));
  if (onVariant) variant.inventory_level = after;
  else product.product_level = after;
  line.held = target;
  line.held_on = target > 0 ? from : null;

  const method = store.state.switches.orderInventoryMethod;
  const value = store.state.switches.inventoryValue === 'level' ? after : -onHandUnits;
  if (from === 'variant') {
    store.fire('store/sku/inventory/order/updated', {
      type: 'sku',
      id: variant.sku_id,
      inventory: { product_id: product.id, variant_id: variant.id, method, value },
    });
  } else {
    store.fire('store/product/inventory/order/updated', {
      type: 'product',
      id: product.id,
      inventory: { product_id: product.id, method, value },
    });
  }
}
