/**
 * The endpoint answers scripts/derive-schemas.ts derives from BigCommerce's OpenAPI files (every one the
 * client uses), and the corrections made where the published spec is wrong or looser than BigCommerce.
 */
type Schema = { [key: string]: unknown };

export interface Endpoint {
  /** File name stem in test/schemas: `<name>.<status>.json`. */
  name: string;
  file: string;
  path: string;
  method: 'get' | 'put' | 'post' | 'delete';
  statuses: string[];
}

export interface Correction {
  schema: string;
  /** Property names from the root; `items` steps into an array. */
  at: string[];
  reason: string;
  apply(node: Schema): void;
}

const PRODUCTS = 'products_catalog.v3.yml';
const VARIANTS = 'product-variants_catalog.v3.yml';
const ORDERS = 'orders.v2.oas2.yml';
const HOOKS = 'webhooks.v3.yml';
const SCRIPTS = 'scripts.v3.yml';

export const ENDPOINTS: Endpoint[] = [
  { name: 'v3.catalog.products.list', file: PRODUCTS, path: '/catalog/products', method: 'get', statuses: ['200'] },
  { name: 'v3.catalog.products.batch-update', file: PRODUCTS, path: '/catalog/products', method: 'put', statuses: ['200', '413'] },
  { name: 'v3.catalog.products.get', file: PRODUCTS, path: '/catalog/products/{product_id}', method: 'get', statuses: ['200', '404'] },
  { name: 'v3.catalog.products.update', file: PRODUCTS, path: '/catalog/products/{product_id}', method: 'put', statuses: ['200', '409', '422'] },
  { name: 'v3.catalog.products.variants.list', file: VARIANTS, path: '/catalog/products/{product_id}/variants', method: 'get', statuses: ['200'] },
  { name: 'v3.catalog.products.variants.get', file: VARIANTS, path: '/catalog/products/{product_id}/variants/{variant_id}', method: 'get', statuses: ['200'] },
  { name: 'v3.catalog.products.variants.update', file: VARIANTS, path: '/catalog/products/{product_id}/variants/{variant_id}', method: 'put', statuses: ['200'] },
  { name: 'v3.catalog.variants.list', file: VARIANTS, path: '/catalog/variants', method: 'get', statuses: ['200'] },
  { name: 'v3.catalog.variants.batch-update', file: VARIANTS, path: '/catalog/variants', method: 'put', statuses: ['200', '413', '422'] },
  { name: 'v3.catalog.categories.list', file: 'categories_catalog.v3.yml', path: '/catalog/categories', method: 'get', statuses: ['200'] },
  { name: 'v3.catalog.brands.list', file: 'brands_catalog.v3.yml', path: '/catalog/brands', method: 'get', statuses: ['200'] },
  { name: 'v2.orders.list', file: ORDERS, path: '/orders', method: 'get', statuses: ['200'] },
  { name: 'v2.orders.get', file: ORDERS, path: '/orders/{order_id}', method: 'get', statuses: ['200', '404'] },
  { name: 'v2.orders.update', file: ORDERS, path: '/orders/{order_id}', method: 'put', statuses: ['200'] },
  { name: 'v2.orders.products.list', file: ORDERS, path: '/orders/{order_id}/products', method: 'get', statuses: ['200'] },
  { name: 'v2.order-statuses.list', file: ORDERS, path: '/order_statuses', method: 'get', statuses: ['200'] },
  { name: 'v2.store.get', file: 'store_information.v2.yml', path: '/store', method: 'get', statuses: ['200'] },
  { name: 'v3.hooks.list', file: HOOKS, path: '/hooks', method: 'get', statuses: ['200', '401'] },
  { name: 'v3.hooks.create', file: HOOKS, path: '/hooks', method: 'post', statuses: ['200', '422'] },
  { name: 'v3.hooks.get', file: HOOKS, path: '/hooks/{webhook_id}', method: 'get', statuses: ['200', '404'] },
  { name: 'v3.hooks.update', file: HOOKS, path: '/hooks/{webhook_id}', method: 'put', statuses: ['200'] },
  { name: 'v3.hooks.delete', file: HOOKS, path: '/hooks/{webhook_id}', method: 'delete', statuses: ['200'] },
  { name: 'v3.content.scripts.list', file: SCRIPTS, path: '/content/scripts', method: 'get', statuses: ['200'] },
  { name: 'v3.content.scripts.create', file: SCRIPTS, path: '/content/scripts', method: 'post', statuses: ['200', '422'] },
  { name: 'v3.content.scripts.get', file: SCRIPTS, path: '/content/scripts/{uuid}', method: 'get', statuses: ['200', '404'] },
  { name: 'v3.content.scripts.update', file: SCRIPTS, path: '/content/scripts/{uuid}', method: 'put', statuses: ['200'] },
  { name: 'v3.inventory.items.list', file: 'inventory.v3.yml', path: '/inventory/items', method: 'get', statuses: ['200'] },
  { name: 'v3.settings.inventory.get', file: 'settings.v3.yml', path: '/settings/inventory', method: 'get', statuses: ['200'] },
];

export const CORRECTIONS: Correction[] = [];

/** Answers the spec documents by example only, with the schema they follow and why. */
export const BORROWED: Record<string, { file: string; ref: string; reason: string }> = {
  'v3.catalog.variants.batch-update.413': {
    file: PRODUCTS,
    ref: '#/components/schemas/error_Base',
    reason: 'the variants spec gives only an example ({status, title, type, errors}), the same body as the products batch 413',
  },
};
