/**
 * Products and variants: create, partial update, delete, with BigCommerce's validation (409 duplicate
 * name or SKU, 422 bad values) and the events each change fires (ref §3, §6.4).
 */
import { BcError, invalid } from './api-error.ts';
import { checkLevel, writeProductLevel, writeVariantLevel } from './inventory.ts';
import type { Product, ProductOption, Variant } from './model.ts';
import { productPatch, variantPatch, type ProductFields, type VariantFields } from './catalog-input.ts';
import { isSimple, type StoreContext } from './store-context.ts';

export interface VariantInput extends Partial<VariantFields> {
  sku: string;
  /** Option values by name, as a POST of a product's `variants` carries them (ref §3.4). */
  option_values?: Array<{ option_display_name: string; label: string }>;
  inventory_level?: number;
}

/** A product body as the API takes it: dates as ISO strings, `custom_url` as `{ url }`. */
export interface ProductInput extends Omit<Partial<ProductFields>, 'preorder_release_date' | 'custom_url'> {
  name: string;
  preorder_release_date?: string | null;
  custom_url?: { url: string };
  price: number;
  inventory_level?: number;
  variants?: VariantInput[];
}

function blankVariant(id: number, productId: number, sku: string): Variant {
  return {
    id,
    product_id: productId,
    sku_id: null,
    sku,
    price: null,
    sale_price: null,
    retail_price: null,
    cost_price: null,
    weight: null,
    inventory_level: 0,
    inventory_warning_level: 0,
    purchasing_disabled: false,
    purchasing_disabled_message: '',
    upc: '',
    mpn: '',
    gtin: '',
    bin_picking_number: '',
    image_url: '',
    option_values: [],
  };
}

/** Creates a product (and its variants and options), firing product/created and sku/created (ref §6.4). */
export function createProduct(store: StoreContext, input: ProductInput): Product {
  const fields = productPatch(store, input as unknown as Record<string, unknown>, undefined);
  const problems: Record<string, string> = {};
  if (typeof input.name !== 'string' || input.name.trim() === '') problems.name = 'name is required';
  if (typeof input.price !== 'number') problems.price = 'price is required';
  if (Object.keys(problems).length > 0) throw invalid(problems);
  const variantInputs = input.variants?.filter((v) => (v.option_values ?? []).length > 0) ?? [];
  const now = store.now();
  const product: Product = {
    id: 0,
    name: input.name,
    type: 'physical',
    sku: '',
    description: '',
    price: input.price,
    sale_price: 0,
    retail_price: 0,
    cost_price: 0,
    weight: 0,
    categories: [],
    brand_id: 0,
    inventory_tracking: 'none',
    product_level: 0,
    inventory_warning_level: 0,
    is_visible: true,
    is_featured: false,
    availability: 'available',
    availability_description: '',
    preorder_release_date: null,
    preorder_message: '',
    is_preorder_only: false,
    order_quantity_minimum: 0,
    order_quantity_maximum: 0,
    total_sold: 0,
    custom_url: '',
    date_created: now,
    date_modified: now,
    options: [],
    variants: [],
    ...fields,
  };
  const skus = new Set<string>();
  for (const sku of [product.sku, ...variantInputs.map((v) => v.sku)]) {
    if (!sku) continue;
    if (skus.has(sku.toLowerCase())) throw invalid({ sku: `Sku ${sku} is given twice.` });
    skus.add(sku.toLowerCase());
    store.assertSkuFree(sku, undefined);
  }
  product.id = store.nextId('product');
  product.custom_url ||= `/${slug(product.name)}/`;
  if (variantInputs.length === 0) {
    const base = blankVariant(store.nextId('variant'), product.id, product.sku);
    base.inventory_level = input.inventory_level === undefined ? 0 : checkLevel(input.inventory_level);
    product.variants.push(base);
  } else {
    product.product_level = input.inventory_level === undefined ? 0 : checkLevel(input.inventory_level);
    for (const variantInput of variantInputs) product.variants.push(buildVariant(store, product, variantInput));
  }
  store.state.products.push(product);
  store.indexProduct(product);
  store.fire('store/product/created', { type: 'product', id: product.id });
  for (const variant of product.variants) if (variant.sku_id !== null) fireSku(store, 'store/sku/created', variant);
  store.changed();
  return product;
}

function buildVariant(store: StoreContext, product: Product, input: VariantInput): Variant {
  const variant = blankVariant(store.nextId('variant'), product.id, input.sku);
  variant.sku_id = store.nextId('sku');
  variant.option_values = (input.option_values ?? []).map(({ option_display_name, label }) => {
    const option = optionNamed(store, product, option_display_name);
    let value = option.values.find((v) => v.label === label);
    if (!value) {
      value = { id: store.nextId('optionValue'), label, sort_order: option.values.length };
      option.values.push(value);
    }
    return { id: value.id, option_id: option.id };
  });
  const taken = product.variants.some((v) => sameValues(v.option_values, variant.option_values));
  if (taken) throw invalid({ option_values: 'A variant with these option values already exists.' });
  Object.assign(variant, variantPatch(input as unknown as Record<string, unknown>));
  if (input.inventory_level !== undefined) variant.inventory_level = checkLevel(input.inventory_level);
  return variant;
}

function optionNamed(store: StoreContext, product: Product, name: string): ProductOption {
  let option = product.options.find((o) => o.display_name === name);
  if (!option) {
    option = { id: store.nextId('option'), display_name: name, type: 'dropdown', values: [] };
    product.options.push(option);
  }
  return option;
}

function sameValues(a: Variant['option_values'], b: Variant['option_values']): boolean {
  return a.length === b.length && a.every((value) => b.some((other) => other.id === value.id));
}

/** Applies a partial update (Catalog PUT or control panel) and fires the events the change causes (ref §3.3, §6.4). */
export function updateProduct(store: StoreContext, product: Product, body: Record<string, unknown>): Product {
  const patch = productPatch(store, body, product);
  const level = body.inventory_level === undefined ? undefined : checkLevel(body.inventory_level);
  const changed = Object.entries(patch).filter(([key, value]) => JSON.stringify(product[key as keyof Product]) !== JSON.stringify(value));
  if (changed.length > 0) {
    const oldName = product.name;
    store.unindexProduct(product);
    Object.assign(product, Object.fromEntries(changed));
    if (isSimple(product)) product.variants[0]!.sku = product.sku;
    if (oldName !== product.name && !('custom_url' in patch)) product.custom_url = `/${slug(product.name)}/`;
    store.indexProduct(product);
  }
  // Tracking goes first: a PUT that turns tracking on and sets a level is judged under the new mode.
  const levelChanged = level !== undefined && writeProductLevel(store, product, level);
  // ref §6.4: these fields do not appear in the list of fields that fire store/product/updated.
  const silent = new Set(['inventory_warning_level', 'preorder_release_date']);
  if (changed.some(([key]) => !silent.has(key))) store.fire('store/product/updated', { type: 'product', id: product.id });
  if (changed.length > 0 || levelChanged) {
    product.date_modified = store.now();
    store.changed();
  }
  return product;
}

/** Deletes a product and its variants (ref §3.1), firing store/product/deleted. */
export function deleteProduct(store: StoreContext, product: Product): void {
  store.unindexProduct(product);
  store.state.products.splice(store.state.products.indexOf(product), 1);
  store.fire('store/product/deleted', { type: 'product', id: product.id });
  store.changed();
}

/** Adds a variant to a product with options (ref §3.4), firing store/sku/created. */
export function createVariant(store: StoreContext, product: Product, input: VariantInput): Variant {
  if (!input.sku || !(input.option_values ?? []).length) {
    throw invalid({ option_values: 'sku and option_values are required' });
  }
  store.assertSkuFree(input.sku, undefined);
  if (isSimple(product)) {
    // The base variant gives way to option variants, as when options are added in the control panel.
    store.unindexVariant(product.variants[0]!);
    product.variants = [];
  }
  const variant = buildVariant(store, product, input);
  product.variants.push(variant);
  store.indexVariant(product, variant);
  product.date_modified = store.now();
  fireSku(store, 'store/sku/created', variant);
  store.changed();
  return variant;
}

/** Partial update of one variant (ref §3.4), firing its inventory and sku/product events. */
export function updateVariant(store: StoreContext, product: Product, variant: Variant, body: Record<string, unknown>): Variant {
  const patch = variantPatch(body);
  if (patch.sku !== undefined && patch.sku !== variant.sku) {
    store.assertSkuFree(patch.sku, isSimple(product) ? { productId: product.id } : { productId: product.id, variantId: variant.id });
  }
  const level = body.inventory_level === undefined ? undefined : checkLevel(body.inventory_level);
  const changed = Object.entries(patch).filter(([key, value]) => variant[key as keyof Variant] !== value);
  if (changed.length > 0) {
    if (isSimple(product)) store.unindexProduct(product);
    else store.unindexVariant(variant);
    Object.assign(variant, Object.fromEntries(changed));
    if (isSimple(product)) {
      product.sku = variant.sku;
      store.indexProduct(product);
    } else {
      store.indexVariant(product, variant);
    }
  }
  const levelChanged = level !== undefined && writeVariantLevel(store, product, variant, level);
  const silent = new Set(['inventory_warning_level']);
  if (changed.some(([key]) => !silent.has(key))) {
    // The base variant's fields are the product's own (inferred): its change is a product update.
    if (variant.sku_id === null) store.fire('store/product/updated', { type: 'product', id: product.id });
    else fireSku(store, 'store/sku/updated', variant);
  }
  if (changed.length > 0 || levelChanged) {
    product.date_modified = store.now();
    store.changed();
  }
  return variant;
}

/** Removes a variant of a product with options (ref §3.4), firing store/sku/deleted. */
export function deleteVariant(store: StoreContext, product: Product, variant: Variant): void {
  if (variant.sku_id === null) throw new BcError(422, 'The base variant of a product cannot be deleted.');
  store.unindexVariant(variant);
  product.variants.splice(product.variants.indexOf(variant), 1);
  if (product.variants.length === 0) {
    // The last option variant gone, the product is simple again with a fresh base variant.
    product.options = [];
    const base = blankVariant(store.nextId('variant'), product.id, product.sku);
    product.variants.push(base);
    store.indexVariant(product, base);
  }
  product.date_modified = store.now();
  fireSku(store, 'store/sku/deleted', variant);
  store.changed();
}

function fireSku(store: StoreContext, scope: 'store/sku/created' | 'store/sku/updated' | 'store/sku/deleted', variant: Variant): void {
  store.fire(scope, { type: 'sku', id: variant.sku_id, sku: { product_id: variant.product_id, variant_id: variant.id } });
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
