/**
 * The filters and sorts of `GET /v3/catalog/products` (ref §3.2) and `GET /v3/catalog/variants` (ref §3.4).
 * Unknown parameters are ignored, as BigCommerce ignores them.
 */
import { BcError } from './api-error.ts';
import { productLevel } from './inventory.ts';
import type { Product, Variant } from './model.ts';
import { intListParam, intParam, listParam, param, type Query } from './pagination.ts';
import { calculatedPrice, type StoreContext } from './store-context.ts';

type Predicate<T> = (item: T) => boolean;

/** `field`, `field:in`, `field:not_in`, `field:min`, `field:max`, `field:greater`, `field:less` on a number. */
function numberFilters<T>(query: Query, field: string, read: (item: T) => number): Array<Predicate<T>> {
  const out: Array<Predicate<T>> = [];
  const exact = intParam(query, field);
  if (exact !== undefined) out.push((item) => read(item) === exact);
  const within = intListParam(query, `${field}:in`);
  if (within) {
    const set = new Set(within);
    out.push((item) => set.has(read(item)));
  }
  const without = intListParam(query, `${field}:not_in`);
  if (without) {
    const set = new Set(without);
    out.push((item) => !set.has(read(item)));
  }
  const min = intParam(query, `${field}:min`);
  if (min !== undefined) out.push((item) => read(item) >= min);
  const max = intParam(query, `${field}:max`);
  if (max !== undefined) out.push((item) => read(item) <= max);
  const greater = intParam(query, `${field}:greater`);
  if (greater !== undefined) out.push((item) => read(item) > greater);
  const less = intParam(query, `${field}:less`);
  if (less !== undefined) out.push((item) => read(item) < less);
  return out;
}

function booleanParam(query: Query, name: string): boolean | undefined {
  const value = param(query, name);
  if (value === undefined) return undefined;
  if (['true', '1'].includes(value)) return true;
  if (['false', '0'].includes(value)) return false;
  throw new BcError(422, `The query parameter ${name} must be true or false.`, { errors: { [name]: 'must be true or false' } });
}

/**
 * A `date_modified` bound in seconds. ref §3.2 / the spec's parameter: a date without a time gets the
 * current time of the request added.
 */
function dateParam(query: Query, name: string, now: number): number | undefined {
  let value = param(query, name);
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) value = `${value}T${new Date(now).toISOString().slice(11, 19)}Z`;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) throw new BcError(422, `The query parameter ${name} must be a date.`, { errors: { [name]: 'must be an ISO-8601 date' } });
  return Math.floor(ms / 1000);
}

const SORTS: Record<string, (p: Product) => number | string | boolean> = {
  id: (p) => p.id,
  name: (p) => p.name.toLowerCase(),
  sku: (p) => p.sku.toLowerCase(),
  price: (p) => p.price,
  calculated_price: (p) => calculatedPrice(p),
  date_modified: (p) => p.date_modified,
  date_last_imported: (p) => p.id,
  inventory_level: (p) => productLevel(p),
  is_visible: (p) => p.is_visible,
  total_sold: (p) => p.total_sold,
};

/** The products matching the query, sorted (`sort`, `direction`; default id ascending). */
export function queryProducts(store: StoreContext, query: Query): Product[] {
  const checks: Array<Predicate<Product>> = [...numberFilters<Product>(query, 'id', (p) => p.id)];
  const sku = param(query, 'sku')?.toLowerCase();
  // ref §3.2: product (base) SKUs only; variant SKUs are searched through /v3/catalog/variants.
  if (sku !== undefined) checks.push((p) => p.sku.toLowerCase() === sku);
  const skus = listParam(query, 'sku:in')?.map((s) => s.toLowerCase());
  if (skus) checks.push((p) => skus.includes(p.sku.toLowerCase()));
  const name = param(query, 'name');
  if (name !== undefined) checks.push((p) => p.name === name);
  const like = param(query, 'name:like')?.toLowerCase();
  if (like !== undefined) checks.push((p) => p.name.toLowerCase().includes(like));
  const keyword = param(query, 'keyword')?.toLowerCase();
  if (keyword !== undefined) {
    const brands = new Map(store.state.brands.map((b) => [b.id, b.name.toLowerCase()]));
    checks.push((p) => [p.name, p.description, p.sku].some((text) => text.toLowerCase().includes(keyword)) || (brands.get(p.brand_id) ?? '').includes(keyword));
  }
  const visible = booleanParam(query, 'is_visible');
  if (visible !== undefined) checks.push((p) => p.is_visible === visible);
  const availability = param(query, 'availability');
  if (availability !== undefined) checks.push((p) => p.availability === availability);
  const type = param(query, 'type');
  if (type !== undefined) checks.push((p) => p.type === type);
  const category = intParam(query, 'categories');
  // The spec: a product in more than one category is not returned by `categories`; use `categories:in`.
  if (category !== undefined) checks.push((p) => p.categories.length === 1 && p.categories[0] === category);
  const anyCategory = intListParam(query, 'categories:in');
  // ref §3.2: documented as "all", described elsewhere as SQL IN — emulated as ANY.
  if (anyCategory) checks.push((p) => p.categories.some((c) => anyCategory.includes(c)));
  checks.push(...numberFilters<Product>(query, 'brand_id', (p) => p.brand_id));
  checks.push(...numberFilters<Product>(query, 'inventory_level', productLevel));
  if (param(query, 'inventory_low') === '1') {
    checks.push((p) => p.inventory_tracking !== 'none' && productLevel(p) <= p.inventory_warning_level);
  }
  if (param(query, 'out_of_stock') === '1') checks.push((p) => p.inventory_tracking !== 'none' && productLevel(p) === 0);
  const now = store.now();
  const modified = dateParam(query, 'date_modified', now);
  if (modified !== undefined) checks.push((p) => Math.floor(p.date_modified / 1000) === modified);
  const modifiedMin = dateParam(query, 'date_modified:min', now);
  if (modifiedMin !== undefined) checks.push((p) => Math.floor(p.date_modified / 1000) >= modifiedMin);
  const modifiedMax = dateParam(query, 'date_modified:max', now);
  if (modifiedMax !== undefined) checks.push((p) => Math.floor(p.date_modified / 1000) <= modifiedMax);

  // With `id` or `id:in` (a sync's batches), only those products are candidates: no scan of a large catalog.
  const exactIds = [intParam(query, 'id'), ...(intListParam(query, 'id:in') ?? [])].filter((id): id is number => id !== undefined);
  const candidates = exactIds.length > 0 ? [...new Set(exactIds)].sort((a, b) => a - b).flatMap((id) => store.products.get(id) ?? []) : store.state.products;
  const products = checks.length === 0 ? [...candidates] : candidates.filter((p) => checks.every((check) => check(p)));
  const sort = param(query, 'sort') ?? 'id';
  const key = SORTS[sort];
  if (!key) throw new BcError(422, `Sort by ${sort} is not supported.`, { errors: { sort: `must be one of ${Object.keys(SORTS).join(', ')}` } });
  const descending = param(query, 'direction') === 'desc';
  if (sort !== 'id' || descending) {
    products.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order = x < y ? -1 : x > y ? 1 : a.id - b.id;
      return descending ? -order : order;
    });
  }
  return products;
}

/** The variants of `/v3/catalog/variants` matching `id`, `id:in`, `sku`, `sku:in`, `upc`, `product_id:in` (ref §3.4). */
export function queryVariants(store: StoreContext, query: Query): Array<{ product: Product; variant: Variant }> {
  const checks: Array<Predicate<Variant>> = [
    ...numberFilters<Variant>(query, 'id', (v) => v.id),
    ...numberFilters<Variant>(query, 'product_id', (v) => v.product_id),
  ];
  const sku = param(query, 'sku')?.toLowerCase();
  if (sku !== undefined) checks.push((v) => v.sku.toLowerCase() === sku);
  const skus = listParam(query, 'sku:in')?.map((s) => s.toLowerCase());
  if (skus) checks.push((v) => skus.includes(v.sku.toLowerCase()));
  const upc = param(query, 'upc');
  if (upc !== undefined) checks.push((v) => v.upc === upc);
  // Candidates by id when the query names ids, so a large catalog is not scanned.
  const variantIds = [intParam(query, 'id'), ...(intListParam(query, 'id:in') ?? [])].filter((id): id is number => id !== undefined);
  const productIds = intListParam(query, 'product_id:in');
  let candidates: Variant[];
  if (variantIds.length > 0) {
    candidates = [...new Set(variantIds)].flatMap((id) => store.variants.get(id) ?? []);
    candidates.sort((a, b) => a.product_id - b.product_id || a.id - b.id);
  } else {
    const products = productIds ? [...new Set(productIds)].sort((a, b) => a - b).flatMap((id) => store.products.get(id) ?? []) : store.state.products;
    candidates = products.flatMap((product) => product.variants);
  }
  return candidates
    .filter((variant) => checks.every((check) => check(variant)))
    .map((variant) => ({ product: store.products.get(variant.product_id)!, variant }));
}
