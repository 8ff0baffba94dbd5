/**
 * The endpoint answers scripts/derive-schemas.ts derives from BigCommerce's OpenAPI files (every one the
 * client uses, and the Storefront Cart API the sandbox's demo storefront serves), and the corrections made
 * where the published spec is wrong or looser than BigCommerce.
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
  /** Changes the schema at `at`; `fromSpec` derives another schema of the spec files, closed like the rest. */
  apply(node: Schema, fromSpec: (file: string, ref: string) => Schema): void;
}

const PRODUCTS = 'products_catalog.v3.yml';
const VARIANTS = 'product-variants_catalog.v3.yml';
const ORDERS = 'orders.v2.oas2.yml';
const HOOKS = 'webhooks.v3.yml';
const SCRIPTS = 'scripts.v3.yml';
const CARTS = 'carts.sf.yml';

export const ENDPOINTS: Endpoint[] = [
  { name: 'v3.catalog.products.list', file: PRODUCTS, path: '/catalog/products', method: 'get', statuses: ['200'] },
  { name: 'v3.catalog.products.batch-update', file: PRODUCTS, path: '/catalog/products', method: 'put', statuses: ['200', '413'] },
  { name: 'v3.catalog.products.get', file: PRODUCTS, path: '/catalog/products/{product_id}', method: 'get', statuses: ['200', '404'] },
  { name: 'v3.catalog.products.update', file: PRODUCTS, path: '/catalog/products/{product_id}', method: 'put', statuses: ['200', '409', '422'] },
  { name: 'v3.catalog.products.variants.list', file: VARIANTS, path: '/catalog/products/{product_id}/variants', method: 'get', statuses: ['200'] },
  { name: 'v3.catalog.products.variants.get', file: VARIANTS, path: '/catalog/products/{product_id}/variants/{variant_id}', method: 'get', statuses: ['200'] },
  {
    name: 'v3.catalog.products.variants.update',
    file: VARIANTS,
    path: '/catalog/products/{product_id}/variants/{variant_id}',
    method: 'put',
    statuses: ['200'],
  },
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
  { name: 'storefront.carts.list', file: CARTS, path: '/carts', method: 'get', statuses: ['200'] },
  { name: 'storefront.carts.create', file: CARTS, path: '/carts', method: 'post', statuses: ['200'] },
  { name: 'storefront.carts.items.add', file: CARTS, path: '/carts/{cartId}/items', method: 'post', statuses: ['200'] },
  { name: 'storefront.carts.items.update', file: CARTS, path: '/carts/{cartId}/items/{itemId}', method: 'put', statuses: ['200'] },
  { name: 'storefront.carts.items.delete', file: CARTS, path: '/carts/{cartId}/items/{itemId}', method: 'delete', statuses: ['200'] },
];

type Properties = Record<string, Schema>;
const properties = (node: Schema) => node.properties as Properties;
const nullable = (node: Schema) => {
  node.type = [node.type as string, 'null'];
};

/** The same correction at several places. */
function everywhere(places: Array<[string, string[]]>, reason: string, apply: Correction['apply']): Correction[] {
  return places.map(([schema, at]) => ({ schema, at, reason, apply }));
}

const PRODUCTS_IN_ANSWERS: Array<[string, string[]]> = [
  ['v3.catalog.products.list.200', ['data', 'items']],
  ['v3.catalog.products.batch-update.200', ['data', 'items']],
  ['v3.catalog.products.get.200', ['data']],
  ['v3.catalog.products.update.200', ['data']],
];

const VARIANT_COLLECTIONS: Array<[string, string[]]> = [
  ['v3.catalog.variants.list.200', ['data', 'items']],
  ['v3.catalog.variants.batch-update.200', ['data', 'items']],
];

const HOOKS_IN_ANSWERS: Array<[string, string[]]> = [
  ['v3.hooks.list.200', ['data', 'items']],
  ['v3.hooks.create.200', ['data']],
  ['v3.hooks.get.200', ['data']],
  ['v3.hooks.update.200', ['data']],
  ['v3.hooks.delete.200', ['data']],
];

const SCRIPTS_IN_ANSWERS: Array<[string, string[]]> = [
  ['v3.content.scripts.list.200', ['data', 'items']],
  ['v3.content.scripts.create.200', ['data']],
  ['v3.content.scripts.get.200', ['data']],
  ['v3.content.scripts.update.200', ['data']],
];

const CART_ITEMS: Array<[string, string[]]> = [
  ['storefront.carts.list.200', ['items', 'lineItems', 'physicalItems', 'items', 'parentId']],
  ...['create', 'items.add', 'items.update', 'items.delete'].map((name): [string, string[]] => [
    `storefront.carts.${name}.200`,
    ['lineItems', 'physicalItems', 'items', 'parentId'],
  ]),
];

export const CORRECTIONS: Correction[] = [
  ...everywhere(CART_ITEMS, "`parentId` is set only for an item of a bundle (the field's own description), null otherwise (ref §8.1 item shape)", nullable),
  ...everywhere(
    PRODUCTS_IN_ANSWERS,
    'product_Full omits `variants`, which `include=variants` adds (ref §3.1, §3.3); the variants are productVariant_Full, ' +
      'whose `sku_id` is null for a base variant (ref §3.4, and nullable in the variants spec)',
    (node, fromSpec) => {
      const variant = fromSpec(PRODUCTS, '#/components/schemas/productVariant_Full');
      nullable(properties(variant).sku_id!);
      properties(node).variants = { type: 'array', items: variant };
    },
  ),
  ...everywhere(
    PRODUCTS_IN_ANSWERS,
    "`base_variant_id` is null for a product with options (ref §3.3, the field's own description); the spec types it integer",
    (node) => nullable(properties(node).base_variant_id!),
  ),
  ...everywhere(
    VARIANT_COLLECTIONS,
    '/catalog/variants answers the same variant resource as /catalog/products/{id}/variants, whose schema lists these fields',
    (node) => {
      Object.assign(properties(node), {
        image_url: { type: 'string' },
        mpn: { type: ['string', 'null'] },
        gtin: { type: ['string', 'null'] },
        calculated_weight: { type: 'number' },
      });
    },
  ),
  {
    schema: 'v3.catalog.products.batch-update.413',
    at: [],
    reason: "the spec's own example of this answer carries `errors: {}`, which error_Base lacks",
    apply: (node) => {
      properties(node).errors = { type: 'object' };
    },
  },
  {
    schema: 'v3.catalog.variants.batch-update.413',
    at: [],
    reason: "the spec's own example of this answer carries `errors: {}`, which error_Base lacks",
    apply: (node) => {
      properties(node).errors = { type: 'object' };
    },
  },
  {
    schema: 'v2.orders.get.404',
    at: [],
    reason: 'the spec gives an empty schema; v2 errors are an array of { status, message } (ref §2.3, §5.1)',
    apply: (node) => {
      Object.assign(node, {
        type: 'array',
        items: {
          type: 'object',
          properties: { status: { type: 'integer' }, message: { type: 'string' }, details: { type: 'object' } },
          required: ['status', 'message'],
          additionalProperties: false,
        },
      });
    },
  },
  {
    schema: 'v2.order-statuses.list.200',
    at: ['items'],
    reason: "each status carries `order` (display order) in the spec's own example and in ref §5.4; orderStatus_Base omits it",
    apply: (node) => {
      properties(node).order = { type: 'integer' };
    },
  },
  {
    schema: 'v3.inventory.items.list.200',
    at: ['data', 'items', 'identity', 'sku_id'],
    reason: '`sku_id` is null for a base variant (ref §4.3 example, as `sku_id` of variants, ref §3.4)',
    apply: nullable,
  },
  ...everywhere(SCRIPTS_IN_ANSWERS, 'a script created without consent_category reads as `unknown` (ref §7)', (node) => {
    const consent = properties(node).consent_category!;
    consent.enum = [...(consent.enum as string[]), 'unknown'];
  }),
  ...everywhere(
    HOOKS_IN_ANSWERS,
    '`events_history_enabled` was removed from the reference in 2024 but is still accepted and echoed when sent (ref §6.1)',
    (node) => {
      properties(node).events_history_enabled = { type: 'boolean' };
    },
  ),
];

/** Answers the spec documents by example only, with the schema they follow and why. */
export const BORROWED: Record<string, { file: string; ref: string; reason: string }> = {
  'v3.catalog.variants.batch-update.413': {
    file: PRODUCTS,
    ref: '#/components/schemas/error_Base',
    reason: 'the variants spec gives only an example ({status, title, type, errors}), the same body as the products batch 413',
  },
};
