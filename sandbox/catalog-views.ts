/**
 * Catalog resources as the v3 API shows them (products_catalog.v3.yml, product-variants_catalog.v3.yml,
 * categories, brands): only fields BigCommerce documents, with their types.
 */
import { productLevel } from './inventory.ts';
import type { Brand, Category, Product, Variant } from './model.ts';
import { calculatedPrice, isSimple } from './store-context.ts';

/** ISO-8601 with `+00:00`, as v3 dates read (ref §3.3). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function variantView(product: Product, variant: Variant): Record<string, unknown> {
  return {
    id: variant.id,
    product_id: product.id,
    sku: variant.sku,
    sku_id: variant.sku_id,
    price: variant.price,
    calculated_price: calculatedPrice(product, variant),
    sale_price: variant.sale_price,
    retail_price: variant.retail_price,
    weight: variant.weight,
    calculated_weight: variant.weight ?? product.weight,
    width: null,
    height: null,
    depth: null,
    is_free_shipping: false,
    fixed_cost_shipping_price: null,
    purchasing_disabled: variant.purchasing_disabled,
    purchasing_disabled_message: variant.purchasing_disabled_message,
    image_url: variant.image_url,
    cost_price: variant.cost_price,
    upc: variant.upc,
    mpn: variant.mpn,
    gtin: variant.gtin,
    inventory_level: variant.inventory_level,
    inventory_warning_level: variant.inventory_warning_level,
    bin_picking_number: variant.bin_picking_number,
    option_values: variant.option_values.map((value) => {
      const option = product.options.find((o) => o.id === value.option_id);
      return {
        id: value.id,
        label: option?.values.find((v) => v.id === value.id)?.label ?? '',
        option_id: value.option_id,
        option_display_name: option?.display_name ?? '',
      };
    }),
  };
}

export function productView(product: Product, options: { variants?: boolean } = {}): Record<string, unknown> {
  const base = isSimple(product) ? product.variants[0] : undefined;
  const view: Record<string, unknown> = {
    id: product.id,
    name: product.name,
    type: product.type,
    sku: product.sku,
    description: product.description,
    weight: product.weight,
    width: 0,
    depth: 0,
    height: 0,
    price: product.price,
    cost_price: product.cost_price,
    retail_price: product.retail_price,
    sale_price: product.sale_price,
    map_price: 0,
    tax_class_id: 0,
    product_tax_code: '',
    calculated_price: calculatedPrice(product),
    categories: product.categories,
    brand_id: product.brand_id,
    inventory_level: productLevel(product),
    inventory_warning_level: product.inventory_warning_level,
    inventory_tracking: product.inventory_tracking,
    reviews_rating_sum: 0,
    reviews_count: 0,
    total_sold: product.total_sold,
    fixed_cost_shipping_price: 0,
    is_free_shipping: false,
    is_visible: product.is_visible,
    is_featured: product.is_featured,
    related_products: [-1],
    warranty: '',
    bin_picking_number: '',
    layout_file: 'product.html',
    upc: '',
    mpn: '',
    gtin: '',
    search_keywords: '',
    availability: product.availability,
    availability_description: product.availability_description,
    gift_wrapping_options_type: 'any',
    gift_wrapping_options_list: [],
    sort_order: 0,
    condition: 'New',
    is_condition_shown: false,
    order_quantity_minimum: product.order_quantity_minimum,
    order_quantity_maximum: product.order_quantity_maximum,
    page_title: '',
    meta_keywords: [],
    meta_description: '',
    date_created: isoDate(product.date_created),
    date_modified: isoDate(product.date_modified),
    view_count: 0,
    preorder_release_date: product.preorder_release_date === null ? null : isoDate(product.preorder_release_date),
    preorder_message: product.preorder_message,
    is_preorder_only: product.is_preorder_only,
    is_price_hidden: false,
    price_hidden_label: '',
    custom_url: { url: product.custom_url, is_customized: false },
    base_variant_id: base ? base.id : null,
    open_graph_type: 'product',
    open_graph_title: '',
    open_graph_description: '',
    open_graph_use_meta_description: true,
    open_graph_use_product_name: true,
    open_graph_use_image: true,
  };
  if (options.variants) view.variants = product.variants.map((variant) => variantView(product, variant));
  return view;
}

export function categoryView(category: Category): Record<string, unknown> {
  return {
    id: category.id,
    parent_id: category.parent_id,
    name: category.name,
    description: category.description,
    views: 0,
    sort_order: category.sort_order,
    page_title: '',
    meta_keywords: [],
    meta_description: '',
    layout_file: 'category.html',
    image_url: '',
    is_visible: category.is_visible,
    search_keywords: '',
    default_product_sort: 'use_store_settings',
    custom_url: { url: category.custom_url, is_customized: false },
  };
}

export function brandView(brand: Brand): Record<string, unknown> {
  return {
    id: brand.id,
    name: brand.name,
    page_title: '',
    meta_keywords: [],
    meta_description: '',
    image_url: '',
    search_keywords: '',
    custom_url: { url: brand.custom_url, is_customized: false },
  };
}

/** Keeps `id` and the named fields (`include_fields`) or drops the named ones (`exclude_fields`) (ref §2.2). */
export function selectFields(view: Record<string, unknown>, include: string[] | undefined, exclude: string[] | undefined): Record<string, unknown> {
  if (include && include.length > 0) {
    const keep = new Set([...include, 'id', 'variants']);
    return Object.fromEntries(Object.entries(view).filter(([key]) => keep.has(key)));
  }
  if (exclude && exclude.length > 0) {
    const drop = new Set(exclude.filter((f) => f !== 'id'));
    return Object.fromEntries(Object.entries(view).filter(([key]) => !drop.has(key)));
  }
  return view;
}
