/** Catalog calls (v3): products, variants, categories, brands. */
import type {
  Brand,
  BrandQuery,
  Category,
  CategoryQuery,
  Product,
  ProductBatchUpdate,
  ProductGetQuery,
  ProductQuery,
  ProductUpdate,
  Variant,
  VariantBatchUpdate,
  VariantQuery,
  VariantUpdate,
} from './catalog.types.ts';
import { BatchTooLargeError } from './errors.ts';
import { MAX_PAGE_SIZE, chunk, v3Data, v3Listing, v3Pages, type Listing } from './paginate.ts';
import type { Query } from './query.ts';
import type { Requester } from './request.ts';

/** BigCommerce's batch limits (§3.1, §3.4): more is refused with 413. */
export const PRODUCT_BATCH_LIMIT = 10;
export const VARIANT_BATCH_LIMIT = 50;

export interface ProductsApi extends Listing<Product, ProductQuery> {
  /** The pages of the given products, 250 ids per request (1,000 ids: 4 requests). */
  pagesByIds(ids: readonly number[], query?: Omit<ProductQuery, 'id:in' | 'page' | 'limit'>): AsyncGenerator<Product[]>;
  get(id: number, query?: ProductGetQuery): Promise<Product>;
  update(id: number, changes: ProductUpdate): Promise<Product>;
  /** One request of at most 10 products; refuses more before sending anything. */
  updateBatch(items: readonly ProductBatchUpdate[]): Promise<Product[]>;
  /** Any number of products, 10 per request, one request after the other. */
  updateInChunks(items: readonly ProductBatchUpdate[]): Promise<Product[]>;
}

export interface VariantsApi extends Listing<Variant, VariantQuery> {
  /** The variants of one product. */
  listOfProduct(productId: number, query?: Pick<VariantQuery, 'include_fields' | 'exclude_fields'>): AsyncGenerator<Variant[]>;
  /** The pages of the given variants, 250 ids per request. */
  pagesByIds(ids: readonly number[], query?: Pick<VariantQuery, 'include_fields' | 'exclude_fields'>): AsyncGenerator<Variant[]>;
  update(productId: number, variantId: number, changes: VariantUpdate): Promise<Variant>;
  /** One request of at most 50 variants; refuses more before sending anything. */
  updateBatch(items: readonly VariantBatchUpdate[]): Promise<Variant[]>;
  /** Any number of variants, 50 per request, one request after the other. */
  updateInChunks(items: readonly VariantBatchUpdate[]): Promise<Variant[]>;
}

export interface CatalogApi {
  products: ProductsApi;
  variants: VariantsApi;
  categories: Listing<Category, CategoryQuery>;
  brands: Listing<Brand, BrandQuery>;
}

export function catalogApi(request: Requester): CatalogApi {
  return {
    products: productsApi(request),
    variants: variantsApi(request),
    categories: v3Listing(request, '/catalog/categories'),
    brands: v3Listing(request, '/catalog/brands'),
  };
}

function productsApi(request: Requester): ProductsApi {
  return {
    ...v3Listing<Product, ProductQuery>(request, '/catalog/products'),
    ...batchUpdates<ProductBatchUpdate, Product>(request, '/catalog/products', PRODUCT_BATCH_LIMIT, 'catalog.products'),
    pagesByIds: (ids, query = {}) => pagesByIds<Product>(request, '/catalog/products', ids, query),
    get: (id, query) => v3Data<Product>(request, { version: 'v3', path: `/catalog/products/${id}`, query }),
    update: (id, changes) => v3Data<Product>(request, { version: 'v3', method: 'PUT', path: `/catalog/products/${id}`, body: changes }),
  };
}

function variantsApi(request: Requester): VariantsApi {
  return {
    ...v3Listing<Variant, VariantQuery>(request, '/catalog/variants'),
    ...batchUpdates<VariantBatchUpdate, Variant>(request, '/catalog/variants', VARIANT_BATCH_LIMIT, 'catalog.variants'),
    listOfProduct: (productId, query = {}) => v3Pages<Variant>(request, `/catalog/products/${productId}/variants`, query),
    pagesByIds: (ids, query = {}) => pagesByIds<Variant>(request, '/catalog/variants', ids, query),
    update: (productId, variantId, changes) =>
      v3Data<Variant>(request, { version: 'v3', method: 'PUT', path: `/catalog/products/${productId}/variants/${variantId}`, body: changes }),
  };
}

/** A batch PUT that refuses more than `limit` items before sending, and its chunking companion. */
function batchUpdates<I, O>(request: Requester, path: string, limit: number, name: string) {
  const updateBatch = async (items: readonly I[]): Promise<O[]> => {
    if (items.length > limit) throw new BatchTooLargeError(`${name}.updateBatch`, limit, items.length, `${name}.updateInChunks`);
    if (items.length === 0) return [];
    return v3Data<O[]>(request, { version: 'v3', method: 'PUT', path, body: items });
  };
  const updateInChunks = async (items: readonly I[]): Promise<O[]> => {
    const results: O[] = [];
    for (const slice of chunk(items, limit)) results.push(...(await updateBatch(slice)));
    return results;
  };
  return { updateBatch, updateInChunks };
}

/** `id:in` with 250 ids per request: as few requests as BigCommerce allows, and URLs of bounded length. */
async function* pagesByIds<T>(request: Requester, path: string, ids: readonly number[], query: Query): AsyncGenerator<T[]> {
  for (const slice of chunk([...new Set(ids)], MAX_PAGE_SIZE)) {
    yield* v3Pages<T>(request, path, { ...query, 'id:in': slice, limit: MAX_PAGE_SIZE });
  }
}
