import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaNames, schemaProblems, startTestSandbox, type Answer, type TestSandbox } from '../../helpers/sandbox.ts';
import { shopper, type Shopper } from '../../helpers/storefront.ts';

let t: TestSandbox;
let orderId: number;
let hookId: number;
let scriptUuid: string;
let shop: Shopper;
let cart: { id: string; lineItems: { physicalItems: Array<{ id: string }> } };

beforeAll(async () => {
  t = await startTestSandbox();
  orderId = Number(
    t.sandbox.store(t.storeHash).placeOrder({
      lines: [
        { productId: 100, quantity: 1 },
        { productId: 124, variantId: 1000 + 24, quantity: 1 },
      ],
    }).id,
  );
  const hook = await t.post('/v3/hooks', { scope: 'store/order/*', destination: 'https://example.com/hooks', headers: { 'X-Secret': 's' } });
  hookId = hook.body.data.id;
  const script = await t.post('/v3/content/scripts', { name: 'backorder', kind: 'src', src: 'https://example.com/a.js', auto_uninstall: true });
  scriptUuid = script.body.data.uuid;
  shop = shopper(t.sandbox.storefrontUrl(t.storeHash));
  cart = (
    await shop.call('POST', '/api/storefront/carts', {
      lineItems: [
        { productId: 100, quantity: 1 },
        { productId: 105, quantity: 1 },
        { productId: 113, quantity: 1 },
      ],
    })
  ).body;
});
afterAll(async () => {
  await t?.stop();
});

/** Each committed schema with a request whose answer it must describe. */
const cases: Array<[string, number, () => Promise<Answer>]> = [
  ['v3.catalog.products.list.200', 200, () => t.get('/v3/catalog/products?include=variants&limit=250')],
  [
    'v3.catalog.products.batch-update.200',
    200,
    () =>
      t.put('/v3/catalog/products', [
        { id: 100, price: 110 },
        { id: 124, is_visible: true },
      ]),
  ],
  [
    'v3.catalog.products.batch-update.413',
    413,
    () =>
      t.put(
        '/v3/catalog/products',
        Array.from({ length: 11 }, (_, i) => ({ id: 100 + i })),
      ),
  ],
  ['v3.catalog.products.get.200', 200, () => t.get('/v3/catalog/products/124?include=variants')],
  ['v3.catalog.products.get.404', 404, () => t.get('/v3/catalog/products/99999')],
  ['v3.catalog.products.update.200', 200, () => t.put('/v3/catalog/products/101', { inventory_tracking: 'none' })],
  ['v3.catalog.products.update.409', 409, () => t.put('/v3/catalog/products/101', { sku: 'ORBIT-L' })],
  ['v3.catalog.products.update.422', 422, () => t.put('/v3/catalog/products/101', { availability: 'sometimes' })],
  ['v3.catalog.products.variants.list.200', 200, () => t.get('/v3/catalog/products/124/variants')],
  ['v3.catalog.products.variants.get.200', 200, () => t.get('/v3/catalog/products/100/variants/1000')],
  [
    'v3.catalog.products.variants.update.200',
    200,
    () => t.put('/v3/catalog/products/124/variants/1024', { purchasing_disabled: true, purchasing_disabled_message: 'Soon' }),
  ],
  ['v3.catalog.variants.list.200', 200, () => t.get('/v3/catalog/variants?product_id:in=124,125')],
  ['v3.catalog.variants.batch-update.200', 200, () => t.put('/v3/catalog/variants', [{ id: 1025, inventory_level: 4 }])],
  [
    'v3.catalog.variants.batch-update.413',
    413,
    () =>
      t.put(
        '/v3/catalog/variants',
        Array.from({ length: 51 }, (_, i) => ({ id: 1000 + i })),
      ),
  ],
  ['v3.catalog.variants.batch-update.422', 422, () => t.put('/v3/catalog/variants', [{ id: 1025, price: -1 }, { sku: 'no-id' }])],
  ['v3.catalog.categories.list.200', 200, () => t.get('/v3/catalog/categories')],
  ['v3.catalog.brands.list.200', 200, () => t.get('/v3/catalog/brands')],
  ['v2.orders.list.200', 200, () => t.get('/v2/orders')],
  ['v2.orders.get.200', 200, () => t.get(`/v2/orders/${orderId}`)],
  ['v2.orders.get.404', 404, () => t.get('/v2/orders/999999')],
  ['v2.orders.update.200', 200, () => t.put(`/v2/orders/${orderId}`, { staff_notes: 'BACKORDER: none' })],
  ['v2.orders.products.list.200', 200, () => t.get(`/v2/orders/${orderId}/products`)],
  ['v2.order-statuses.list.200', 200, () => t.get('/v2/order_statuses')],
  ['v2.store.get.200', 200, () => t.get('/v2/store')],
  ['v3.hooks.list.200', 200, () => t.get('/v3/hooks')],
  ['v3.hooks.list.401', 401, () => t.get('/v3/hooks', 'not-a-token')],
  [
    'v3.hooks.create.200',
    200,
    () => t.post('/v3/hooks', { scope: 'store/product/*', destination: 'https://example.com/p', is_active: false, events_history_enabled: true }),
  ],
  ['v3.hooks.create.422', 422, () => t.post('/v3/hooks', { scope: 'store/order/created' })],
  ['v3.hooks.get.200', 200, () => t.get(`/v3/hooks/${hookId}`)],
  ['v3.hooks.get.404', 404, () => t.get('/v3/hooks/987654')],
  ['v3.hooks.update.200', 200, () => t.put(`/v3/hooks/${hookId}`, { is_active: true })],
  [
    'v3.hooks.delete.200',
    200,
    () =>
      t
        .post('/v3/hooks', { scope: 'store/sku/*', destination: 'https://example.com/s' })
        .then((created) => t.call('DELETE', `/v3/hooks/${created.body.data.id}`)),
  ],
  ['v3.content.scripts.list.200', 200, () => t.get('/v3/content/scripts')],
  [
    'v3.content.scripts.create.200',
    200,
    () => t.post('/v3/content/scripts', { name: 'inline', kind: 'script_tag', html: '<script>1</script>', consent_category: 'essential' }),
  ],
  ['v3.content.scripts.create.422', 422, () => t.post('/v3/content/scripts', { kind: 'src' })],
  ['v3.content.scripts.get.200', 200, () => t.get(`/v3/content/scripts/${scriptUuid}`)],
  ['v3.content.scripts.get.404', 404, () => t.get('/v3/content/scripts/00000000-0000-0000-0000-000000000000')],
  ['v3.content.scripts.update.200', 200, () => t.put(`/v3/content/scripts/${scriptUuid}`, { location: 'head' })],
  ['v3.inventory.items.list.200', 200, () => t.get('/v3/inventory/items?product_id:in=100,124,128')],
  ['v3.settings.inventory.get.200', 200, () => t.get('/v3/settings/inventory')],
  ['storefront.carts.list.200', 200, () => shop.call('GET', '/api/storefront/carts?include=lineItems.physicalItems.options')],
  [
    'storefront.carts.create.200',
    200,
    () =>
      shopper(shop.url).call('POST', '/api/storefront/carts?include=lineItems.physicalItems.options', {
        lineItems: [{ productId: 124, variantId: 1026, quantity: 1 }],
      }),
  ],
  ['storefront.carts.items.add.200', 200, () => shop.call('POST', `/api/storefront/carts/${cart.id}/items`, { lineItems: [{ productId: 105, quantity: 2 }] })],
  [
    'storefront.carts.items.update.200',
    200,
    () => shop.call('PUT', `/api/storefront/carts/${cart.id}/items/${cart.lineItems.physicalItems[0]!.id}`, { lineItem: { productId: 100, quantity: 2 } }),
  ],
  ['storefront.carts.items.delete.200', 200, () => shop.call('DELETE', `/api/storefront/carts/${cart.id}/items/${cart.lineItems.physicalItems[2]!.id}`)],
];

describe("the sandbox's answers against BigCommerce's schemas", () => {
  it('when every committed schema is listed, then each has a request here (none goes unchecked)', () => {
    expect(cases.map(([name]) => name).sort()).toEqual(schemaNames().sort());
  });

  it.each(cases)('when %s is requested, then the answer has that status and conforms to the schema', async (name, status, request) => {
    const answer = await request();
    expect(answer.status).toBe(status);
    expect(schemaProblems(name, answer.body)).toEqual([]);
  });

  it('when a body carries a field BigCommerce does not document, then the schema refuses it (the check can fail)', async () => {
    const answer = await t.get('/v3/catalog/products/100');
    expect(schemaProblems('v3.catalog.products.get.200', { ...answer.body, data: { ...answer.body.data, stock: 1 } })).not.toEqual([]);
    expect(schemaProblems('v3.catalog.products.get.200', { ...answer.body, data: { ...answer.body.data, inventory_tracking: 'sometimes' } })).not.toEqual([]);
  });
});
