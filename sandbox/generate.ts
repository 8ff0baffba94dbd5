/**
 * Large catalogs for benchmarks: built straight into memory (no validation, no events — like a bulk import
 * before any app is installed), 100,000 products with variants in about a second.
 */
import type { InventoryTracking, Product, Variant } from './model.ts';
import type { StoreContext } from './store-context.ts';

export interface GenerateOptions {
  /** How many products to add (default 1,000). */
  products?: number;
  /** Variants per product; 0 makes simple products (default 3). */
  variantsPerProduct?: number;
  /** Categories and brands to spread products over, created when the store has fewer (default 20 and 10). */
  categories?: number;
  brands?: number;
}

export interface GenerateResult {
  products: number;
  variants: number;
  firstProductId: number;
  lastProductId: number;
  milliseconds: number;
}

/** Adds generated products to the store; deterministic for a given store state and options. */
export function generateCatalog(store: StoreContext, options: GenerateOptions = {}): GenerateResult {
  const startedAt = performance.now();
  const count = options.products ?? 1_000;
  const perProduct = options.variantsPerProduct ?? 3;
  const state = store.state;
  const categoryIds = ensureCategories(store, options.categories ?? 20);
  const brandIds = ensureBrands(store, options.brands ?? 10);
  const now = store.now();
  const firstProductId = state.next.product;
  let variants = 0;

  for (let i = 0; i < count; i++) {
    const id = store.nextId('product');
    const tracking: InventoryTracking = i % 10 === 9 ? 'none' : perProduct > 0 ? 'variant' : 'product';
    const sku = `GEN-${id}`;
    const product: Product = {
      id,
      name: `Generated product ${id}`,
      type: 'physical',
      sku,
      description: '',
      price: 10 + (i % 90),
      sale_price: 0,
      retail_price: 0,
      cost_price: 0,
      weight: 1,
      categories: [categoryIds[i % categoryIds.length]!],
      brand_id: brandIds[i % brandIds.length]!,
      inventory_tracking: tracking,
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
      custom_url: `/generated-product-${id}/`,
      date_created: now,
      date_modified: now,
      options: [],
      variants: [],
    };
    if (perProduct === 0) {
      product.variants.push(variant(store.nextId('variant'), id, null, sku, i % 7 === 0 ? 0 : (i % 50) + 1, []));
    } else {
      const optionId = store.nextId('option');
      const values = Array.from({ length: perProduct }, (_, k) => ({ id: store.nextId('optionValue'), label: `Option ${k + 1}`, sort_order: k }));
      product.options.push({ id: optionId, display_name: 'Size', type: 'dropdown', values });
      for (const [k, value] of values.entries()) {
        const level = (i + k) % 7 === 0 ? 0 : ((i + k) % 50) + 1;
        product.variants.push(variant(store.nextId('variant'), id, store.nextId('sku'), `${sku}-${k + 1}`, level, [{ id: value.id, option_id: optionId }]));
      }
    }
    variants += product.variants.length;
    state.products.push(product);
    store.indexProduct(product);
  }
  store.changed();
  return { products: count, variants, firstProductId, lastProductId: state.next.product - 1, milliseconds: Math.round(performance.now() - startedAt) };
}

function variant(id: number, productId: number, skuId: number | null, sku: string, level: number, values: Variant['option_values']): Variant {
  return {
    id,
    product_id: productId,
    sku_id: skuId,
    sku,
    price: null,
    sale_price: null,
    retail_price: null,
    cost_price: null,
    weight: null,
    inventory_level: level,
    inventory_warning_level: 0,
    purchasing_disabled: false,
    purchasing_disabled_message: '',
    upc: '',
    mpn: '',
    gtin: '',
    bin_picking_number: '',
    image_url: '',
    option_values: values,
  };
}

function ensureCategories(store: StoreContext, wanted: number): number[] {
  const categories = store.state.categories;
  for (let n = categories.length; n < wanted; n++) {
    const id = Math.max(0, ...categories.map((c) => c.id)) + 1;
    categories.push({
      id,
      parent_id: 0,
      name: `Generated category ${id}`,
      description: '',
      sort_order: n,
      is_visible: true,
      custom_url: `/generated-category-${id}/`,
    });
  }
  return categories.map((c) => c.id);
}

function ensureBrands(store: StoreContext, wanted: number): number[] {
  const brands = store.state.brands;
  for (let n = brands.length; n < wanted; n++) {
    const id = Math.max(0, ...brands.map((b) => b.id)) + 1;
    brands.push({ id, name: `Generated brand ${id}`, custom_url: `/generated-brand-${id}/` });
  }
  return brands.map((b) => b.id);
}
