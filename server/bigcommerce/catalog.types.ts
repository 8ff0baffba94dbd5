/**
 * Catalog shapes (v3), hand-written from BigCommerce's reference: the fields the app reads or writes,
 * named as BigCommerce names them, plus an index signature for the rest. With `include_fields` only the
 * fields asked for (and `id`) are present.
 */
import type { Query } from './query.ts';

export type InventoryTracking = 'none' | 'product' | 'variant';
export type Availability = 'available' | 'disabled' | 'preorder';

export interface OptionValue {
  id: number;
  label: string;
  option_id: number;
  option_display_name: string;
}

export interface Variant {
  id: number;
  product_id: number;
  sku: string;
  /** The v2 SKU id; null for a base variant. */
  sku_id: number | null;
  /** Empty for the base variant of a product without options. */
  option_values: OptionValue[];
  price: number | null;
  calculated_price: number;
  /** Used when the product's `inventory_tracking` is `variant`. */
  inventory_level: number;
  inventory_warning_level: number;
  purchasing_disabled: boolean;
  purchasing_disabled_message: string;
  image_url?: string;
  [field: string]: unknown;
}

export interface Product {
  id: number;
  name: string;
  type: 'physical' | 'digital';
  sku: string;
  price: number;
  calculated_price: number;
  is_visible: boolean;
  availability: Availability;
  availability_description: string;
  inventory_tracking: InventoryTracking;
  /** Used when `inventory_tracking` is `product`. */
  inventory_level: number;
  inventory_warning_level: number;
  categories: number[];
  brand_id: number;
  /** The base variant of a product without options; null for a product with options. */
  base_variant_id: number | null;
  order_quantity_minimum: number;
  order_quantity_maximum: number;
  preorder_release_date: string | null;
  preorder_message: string;
  is_preorder_only: boolean;
  date_created: string;
  date_modified: string;
  custom_url?: { url: string; is_customized: boolean };
  /** Only with `include: 'variants'`. */
  variants?: Variant[];
  [field: string]: unknown;
}

/**
 * The product fields the app reads, asked for with `include_fields` (a page of 250 products then carries a
 * tenth of the bytes): what the catalog mirror keeps, and what assigning and level reads look at.
 */
export const PRODUCT_FIELDS = [
  'id',
  'name',
  'sku',
  'is_visible',
  'availability',
  'inventory_tracking',
  'inventory_level',
  'categories',
  'brand_id',
  'date_modified',
] as const satisfies ReadonlyArray<keyof Product>;

/** The variant fields the app reads (variants come whole with `include=variants`). */
export type CatalogVariant = Pick<Variant, 'id' | 'product_id' | 'sku' | 'option_values' | 'inventory_level' | 'purchasing_disabled'>;

/**
 * A product as the app reads it: the fields of PRODUCT_FIELDS and, when listed with `include=variants`,
 * its variants. The compiler then refuses code that reads a field the request did not ask for.
 */
export type CatalogProduct = Pick<Product, (typeof PRODUCT_FIELDS)[number]> & { variants?: CatalogVariant[] };

/** A category as the mirror keeps it. */
export type CatalogCategory = Pick<Category, 'id' | 'parent_id' | 'name' | 'is_visible'>;

/** A brand as the mirror keeps it. */
export type CatalogBrand = Pick<Brand, 'id' | 'name'>;

/** Fields of a product the app may change (send only what changes). */
export type ProductUpdate = Partial<
  Pick<
    Product,
    | 'name'
    | 'sku'
    | 'price'
    | 'is_visible'
    | 'availability'
    | 'availability_description'
    | 'inventory_tracking'
    | 'inventory_level'
    | 'inventory_warning_level'
    | 'categories'
    | 'brand_id'
    | 'order_quantity_minimum'
    | 'order_quantity_maximum'
    | 'preorder_release_date'
    | 'preorder_message'
    | 'is_preorder_only'
  >
> & { [field: string]: unknown };

export type ProductBatchUpdate = ProductUpdate & { id: number };

export type VariantUpdate = Partial<
  Pick<Variant, 'sku' | 'price' | 'inventory_level' | 'inventory_warning_level' | 'purchasing_disabled' | 'purchasing_disabled_message'>
> & { [field: string]: unknown };

export type VariantBatchUpdate = VariantUpdate & { id: number };

type Ids = ReadonlyArray<number>;
type Strings = ReadonlyArray<string>;
type Include = 'variants' | 'images' | 'custom_fields' | 'bulk_pricing_rules' | 'primary_image' | 'modifiers' | 'options';

export interface ProductQuery extends Query {
  id?: number;
  'id:in'?: Ids;
  'id:not_in'?: Ids;
  'id:min'?: number;
  'id:greater'?: number;
  sku?: string;
  /** Product (base) SKUs only; variant SKUs are found through the variants listing. */
  'sku:in'?: Strings;
  name?: string;
  keyword?: string;
  is_visible?: boolean;
  availability?: Availability;
  categories?: number;
  'categories:in'?: Ids;
  brand_id?: number;
  // No `inventory_tracking` filter: BigCommerce's reference has none, and a real store would ignore it.
  'date_modified:min'?: Date | string;
  'date_modified:max'?: Date | string;
  include?: ReadonlyArray<Include>;
  include_fields?: Strings;
  exclude_fields?: Strings;
  sort?: 'id' | 'name' | 'sku' | 'price' | 'date_modified' | 'inventory_level' | 'is_visible' | 'total_sold';
  direction?: 'asc' | 'desc';
  page?: number;
  limit?: number;
}

export interface ProductGetQuery extends Query {
  include?: ReadonlyArray<Include>;
  include_fields?: Strings;
  exclude_fields?: Strings;
}

export interface VariantQuery extends Query {
  id?: number;
  'id:in'?: Ids;
  sku?: string;
  'sku:in'?: Strings;
  'product_id:in'?: Ids;
  include_fields?: Strings;
  exclude_fields?: Strings;
  page?: number;
  limit?: number;
}

export interface Brand {
  id: number;
  name: string;
  custom_url?: { url: string; is_customized: boolean };
  [field: string]: unknown;
}

export interface Category extends Brand {
  parent_id: number;
  is_visible: boolean;
  sort_order: number;
}

/** Filters brands and categories share. */
export interface BrandQuery extends Query {
  'id:in'?: Ids;
  name?: string;
  'name:like'?: string;
  include_fields?: Strings;
  page?: number;
  limit?: number;
}

export interface CategoryQuery extends BrandQuery {
  parent_id?: number;
  is_visible?: boolean;
  keyword?: string;
}
