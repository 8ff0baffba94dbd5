/**
 * Validation of product and variant bodies: writable fields only (read-only and unknown fields are
 * ignored, ref §3.1), every bad field named at once (422), conflicts as 409 (ref §2.4, §3.3).
 */
import { BcError, invalid } from './api-error.ts';
import type { Product, Variant } from './model.ts';
import type { StoreContext } from './store-context.ts';

export type ProductFields = Pick<
  Product,
  | 'name'
  | 'type'
  | 'sku'
  | 'description'
  | 'price'
  | 'sale_price'
  | 'retail_price'
  | 'cost_price'
  | 'weight'
  | 'categories'
  | 'brand_id'
  | 'inventory_tracking'
  | 'inventory_warning_level'
  | 'is_visible'
  | 'is_featured'
  | 'availability'
  | 'availability_description'
  | 'preorder_release_date'
  | 'preorder_message'
  | 'is_preorder_only'
  | 'order_quantity_minimum'
  | 'order_quantity_maximum'
  | 'custom_url'
>;

export type VariantFields = Pick<
  Variant,
  | 'sku'
  | 'price'
  | 'sale_price'
  | 'retail_price'
  | 'cost_price'
  | 'weight'
  | 'inventory_warning_level'
  | 'purchasing_disabled'
  | 'purchasing_disabled_message'
  | 'upc'
  | 'mpn'
  | 'gtin'
  | 'bin_picking_number'
  | 'image_url'
>;

type Check = (value: unknown) => string | undefined;

const string =
  (max: number): Check =>
  (v) =>
    typeof v === 'string' && v.length <= max ? undefined : `must be a string of at most ${max} characters`;
const number: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'must be a number ≥ 0');
const nullableNumber: Check = (v) => (v === null ? undefined : number(v));
const count: Check = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'must be a whole number ≥ 0');
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    values.includes(v as string) ? undefined : `must be one of ${values.join(', ')}`;
const ids: Check = (v) => (Array.isArray(v) && v.every((id) => Number.isInteger(id)) ? undefined : 'must be an array of ids');
const date: Check = (v) => (v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))) ? undefined : 'must be an ISO-8601 date or null');
const url: Check = (v) => (typeof v === 'object' && v !== null && typeof (v as { url?: unknown }).url === 'string' ? undefined : 'must be { url }');

const PRODUCT_CHECKS: Record<keyof ProductFields, Check> = {
  name: (v) => (typeof v === 'string' && v.trim() !== '' && v.length <= 250 ? undefined : 'must be a non-empty string of at most 250 characters'),
  type: oneOf('physical', 'digital'),
  sku: string(255),
  description: string(65_535),
  price: number,
  sale_price: number,
  retail_price: number,
  cost_price: number,
  weight: number,
  categories: ids,
  brand_id: count,
  inventory_tracking: oneOf('none', 'product', 'variant'),
  inventory_warning_level: count,
  is_visible: boolean,
  is_featured: boolean,
  availability: oneOf('available', 'disabled', 'preorder'),
  availability_description: string(255),
  preorder_release_date: date,
  preorder_message: string(255),
  is_preorder_only: boolean,
  order_quantity_minimum: count,
  order_quantity_maximum: count,
  custom_url: url,
};

const VARIANT_CHECKS: Record<keyof VariantFields, Check> = {
  sku: (v) => (typeof v === 'string' && v !== '' && v.length <= 255 ? undefined : 'must be a non-empty string of at most 255 characters'),
  price: nullableNumber,
  sale_price: nullableNumber,
  retail_price: nullableNumber,
  cost_price: nullableNumber,
  weight: nullableNumber,
  inventory_warning_level: count,
  purchasing_disabled: boolean,
  purchasing_disabled_message: string(255),
  upc: string(14),
  mpn: string(255),
  gtin: string(14),
  bin_picking_number: string(255),
  image_url: string(2048),
};

function pick<T extends string>(body: Record<string, unknown>, checks: Record<T, Check>): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid({ body: 'must be a JSON object' });
  const problems: Record<string, string> = {};
  const out: Record<string, unknown> = {};
  for (const [field, check] of Object.entries(checks) as Array<[string, Check]>) {
    if (!(field in body) || body[field] === undefined) continue;
    const problem = check(body[field]);
    if (problem) problems[field] = `${field} ${problem}`;
    else out[field] = body[field];
  }
  if (typeof body.inventory_level === 'number' && Number.isInteger(body.inventory_level) && body.inventory_level < 0) {
    problems.inventory_level = 'inventory_level must be a whole number ≥ 0';
  }
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return out;
}

/** The writable product fields of `body`, validated against the store (`existing` is the product being updated). */
export function productPatch(store: StoreContext, body: Record<string, unknown>, existing: Product | undefined): Partial<ProductFields> {
  const out = pick(body, PRODUCT_CHECKS);
  if (typeof out.name === 'string') {
    const holder = store.names.get(out.name.toLowerCase());
    if (holder !== undefined && holder !== existing?.id) {
      throw new BcError(409, 'The product was in conflict with another product: the name is already in use.', {
        errors: { name: `A product named ${out.name} already exists.` },
      });
    }
  }
  if (typeof out.sku === 'string') store.assertSkuFree(out.sku, existing ? { productId: existing.id } : undefined);
  if (Array.isArray(out.categories)) {
    const known = new Set(store.state.categories.map((c) => c.id));
    const missing = (out.categories as number[]).filter((id) => !known.has(id));
    if (missing.length > 0) throw new BcError(409, `Category ${missing.join(', ')} does not exist.`, { errors: { categories: 'unknown category' } });
    out.categories = [...new Set(out.categories as number[])];
  }
  if (typeof out.brand_id === 'number' && out.brand_id !== 0 && !store.state.brands.some((b) => b.id === out.brand_id)) {
    throw new BcError(409, `Brand ${out.brand_id} does not exist.`, { errors: { brand_id: 'unknown brand' } });
  }
  if ('preorder_release_date' in out) out.preorder_release_date = out.preorder_release_date === null ? null : Date.parse(out.preorder_release_date as string);
  if ('custom_url' in out) out.custom_url = (out.custom_url as { url: string }).url;
  return out as Partial<ProductFields>;
}

/** The writable variant fields of `body`, validated. */
export function variantPatch(body: Record<string, unknown>): Partial<VariantFields> {
  return pick(body, VARIANT_CHECKS) as Partial<VariantFields>;
}
