import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxStore } from '../../../sandbox/index.ts';
import { schemaProblems, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';
import { shopper, type Shopper } from '../../helpers/storefront.ts';

let t: TestSandbox;
let store: SandboxStore;
let url: string;
beforeAll(async () => {
  t = await startTestSandbox();
  store = t.sandbox.store(t.storeHash);
  url = t.sandbox.storefrontUrl(t.storeHash);
});
afterAll(async () => {
  await t?.stop();
});

const variant = (productId: number, sku: string) => store.context.product(productId).variants.find((v) => v.sku === sku)!.id;
const OPTIONS = 'lineItems.physicalItems.options';

async function cartWith(shop: Shopper, lineItems: unknown[]) {
  const created = await shop.call('POST', `/api/storefront/carts?include=${OPTIONS}`, { lineItems });
  expect(created.status).toBe(200);
  return created.body;
}

describe('Storefront Cart API (ref §8.1)', () => {
  it('when a shopper has no cart, then the list is empty and the summary is 204; a created cart is then listed', async () => {
    const shop = shopper(url);
    expect((await shop.call('GET', '/api/storefront/carts')).body).toEqual([]);
    expect((await shop.call('GET', '/api/storefront/cart-summary')).status).toBe(204);
    const cart = await cartWith(shop, [
      { productId: 124, variantId: variant(124, 'FLCT-BEIGESTRIPE-S'), quantity: 2 },
      { productId: 105, quantity: 1 },
    ]);
    expect(schemaProblems('storefront.carts.create.200', cart)).toEqual([]);
    expect(cart).toMatchObject({ currency: { code: 'USD' }, baseAmount: 143.95, cartAmount: 143.95, version: 1 });
    expect(cart.lineItems.physicalItems[0]).toMatchObject({
      productId: 124,
      variantId: variant(124, 'FLCT-BEIGESTRIPE-S'),
      sku: 'FLCT-BEIGESTRIPE-S',
      quantity: 2,
      listPrice: 49,
      extendedSalePrice: 98,
      url: `${url}/fog-linen-chambray-towel/`,
      options: [
        { name: 'Color', value: 'Beige Stripe' },
        { name: 'Size', value: 'S' },
      ].map((o) => expect.objectContaining(o)),
    });
    const listed = await shop.call('GET', '/api/storefront/carts');
    expect(listed.body.map((c: { id: string }) => c.id)).toEqual([cart.id]);
    expect(listed.body[0].lineItems.physicalItems[0].options).toBeUndefined(); // options only when included
    // As stencil-utils' getCart({ includeOptions }) and the app's cart read ask: a product without options lists none.
    const included = await shop.call('GET', '/api/storefront/carts?include=lineItems.physicalItems.options,lineItems.digitalItems.options');
    expect(included.body[0].lineItems.physicalItems.map((line: { options: Array<{ value: string }> }) => line.options.map((o) => o.value))).toEqual([
      ['Beige Stripe', 'S'],
      [],
    ]);
    expect((await shop.call('GET', '/api/storefront/cart-summary')).body).toMatchObject({ id: cart.id, total_quantity: 3, total_unique_items: 2 });
  });

  it('when a line asks for more than a tracked level, a disabled variant or no variant of a product with options, then it is refused and nothing changes', async () => {
    const shop = shopper(url);
    const cart = await cartWith(shop, [{ productId: 100, quantity: 10 }]);
    const more = await shop.call('POST', `/api/storefront/carts/${cart.id}/items`, {
      lineItems: [
        { productId: 105, quantity: 1 },
        { productId: 100, quantity: 3 },
      ],
    });
    expect(more.status).toBe(409);
    expect(more.body.title).toMatch(/don't have enough Orbit Terrarium - Large/);
    expect(
      (await shop.call('POST', `/api/storefront/carts/${cart.id}/items`, { lineItems: [{ productId: 125, variantId: variant(125, 'AP-NAVY'), quantity: 1 }] }))
        .body.title,
    ).toBe('Navy is back in March');
    expect((await shop.call('POST', `/api/storefront/carts/${cart.id}/items`, { lineItems: [{ productId: 124, quantity: 1 }] })).status).toBe(422);
    expect((await shop.call('POST', `/api/storefront/carts/${cart.id}/items`, { lineItems: [{ productId: 101, quantity: 1 }] })).body.title).toBe(
      'Orbit Terrarium - Small is out of stock.',
    );
    const after = (await shop.call('GET', `/api/storefront/carts/${cart.id}`)).body;
    expect(after.lineItems.physicalItems.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity])).toEqual([['ORBIT-L', 10]]);
    expect(after.version).toBe(1);
  });

  it('when items are added, changed and deleted, then the cart follows; deleting the last item deletes the cart', async () => {
    const shop = shopper(url);
    const cart = await cartWith(shop, [{ productId: 113, quantity: 1 }]);
    const added = await shop.call('POST', `/api/storefront/carts/${cart.id}/items`, {
      lineItems: [
        { productId: 113, quantity: 2 },
        { productId: 115, quantity: 1 },
      ],
    });
    expect(schemaProblems('storefront.carts.items.add.200', added.body)).toEqual([]);
    expect(added.body.lineItems.physicalItems.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity])).toEqual([
      ['BB-01', 3],
      ['LHT-01', 1],
    ]);
    const [brush, towel] = added.body.lineItems.physicalItems as Array<{ id: string }>;
    const updated = await shop.call('PUT', `/api/storefront/carts/${cart.id}/items/${brush!.id}`, { lineItem: { productId: 113, quantity: 5 } });
    expect(schemaProblems('storefront.carts.items.update.200', updated.body)).toEqual([]);
    expect(updated.body.lineItems.physicalItems[0]).toMatchObject({ id: brush!.id, quantity: 5 });
    const deleted = await shop.call('DELETE', `/api/storefront/carts/${cart.id}/items/${towel!.id}`);
    expect(schemaProblems('storefront.carts.items.delete.200', deleted.body)).toEqual([]);
    expect(deleted.body.lineItems.physicalItems).toHaveLength(1);
    expect((await shop.call('DELETE', `/api/storefront/carts/${cart.id}/items/${brush!.id}`)).status).toBe(204);
    expect((await shop.call('GET', `/api/storefront/carts/${cart.id}`)).status).toBe(404);
    expect((await shop.call('GET', '/api/storefront/carts')).body).toEqual([]);
  });

  it('when another session names a cart it does not own, then it cannot add to it', async () => {
    const owner = shopper(url);
    const cart = await cartWith(owner, [{ productId: 105, quantity: 1 }]);
    expect((await shopper(url).call('POST', `/api/storefront/carts/${cart.id}/items`, { lineItems: [{ productId: 105, quantity: 1 }] })).status).toBe(404);
  });
});

describe("the theme's remote cart endpoints (stencil §2.3, §3)", () => {
  it('when the add-to-cart form is posted as FormData, then data.cart_item is the cart line; a refused add answers data.error and adds nothing', async () => {
    const shop = shopper(url);
    const color = store.context.product(124).options.find((o) => o.display_name === 'Color')!;
    const size = store.context.product(124).options.find((o) => o.display_name === 'Size')!;
    const pairs = (label: string): Array<[string, string]> => [
      ['action', 'add'],
      ['product_id', '124'],
      [`attribute[${color.id}]`, String(color.values[0]!.id)],
      [`attribute[${size.id}]`, String(size.values.find((v) => v.label === label)!.id)],
      ['qty[]', '2'],
    ];
    const added = await shop.form('/remote/v1/cart/add', pairs('S'), { multipart: true });
    const cart = (await shop.call('GET', '/api/storefront/carts')).body[0];
    expect(added.body.data).toMatchObject({
      cart_id: cart.id,
      cart_item: { id: cart.lineItems.physicalItems[0].id, product_id: 124, cart_url: '/cart.php' },
      line_items: [{ product_id: 124, variant_id: variant(124, 'FLCT-BEIGESTRIPE-S'), sku: 'FLCT-BEIGESTRIPE-S', quantity: 2 }],
    });
    const refused = await shop.form('/remote/v1/cart/add', pairs('M'), { multipart: true });
    expect(refused.body).toEqual({ data: { error: 'Fog Linen Chambray Towel is out of stock.' } });
    expect((await shop.call('GET', '/api/storefront/carts')).body[0].lineItems.physicalItems).toHaveLength(1);
  });

  it('when quantities are updated as stencil-utils posts them, then status succeed; beyond stock, failed with the reason', async () => {
    const shop = shopper(url);
    const cart = await cartWith(shop, [
      { productId: 106, quantity: 1 },
      { productId: 105, quantity: 1 },
    ]);
    const [cartItem, caddy] = cart.lineItems.physicalItems as Array<{ id: string }>;
    const update = (id: string, quantity: number) =>
      shop.form('/remote/v1/cart/update', [
        ['items[0][id]', id],
        ['items[0][quantity]', String(quantity)],
      ]);
    expect((await update(cartItem!.id, 3)).body.data).toMatchObject({ status: 'succeed' });
    expect((await update(cartItem!.id, 4)).body.data).toEqual({ status: 'failed', errors: [expect.stringMatching(/don't have enough Canvas Laundry Cart/)] });
    const removed = await update(caddy!.id, 0);
    expect(removed.body.data).toMatchObject({ status: 'succeed', line_items: [{ product_id: 105, quantity: 1 }] });
    expect((await shop.call('GET', '/api/storefront/carts')).body[0].lineItems.physicalItems).toEqual([
      expect.objectContaining({ productId: 106, quantity: 3 }),
    ]);
  });

  it('when /cart.php is asked for several templates, then it answers JSON keyed by template; for one, its HTML', async () => {
    const shop = shopper(url);
    const cart = await cartWith(shop, [{ productId: 113, quantity: 2 }]);
    const sections = await shop.page('/cart.php', ['cart/content', 'cart/totals', 'cart/page-title']);
    expect(sections.type).toMatch(/json/);
    const body = JSON.parse(sections.text);
    expect(Object.keys(body)).toEqual(['components/cart/content', 'components/cart/totals', 'components/cart/page-title']);
    expect(body['components/cart/content']).toContain(`data-cart-itemid="${cart.lineItems.physicalItems[0].id}"`);
    expect(body['components/cart/content']).toContain('data-cart-quantity="2"');
    const preview = await shop.page(`/cart.php?suggest=${cart.lineItems.physicalItems[0].id}`, ['cart/preview']);
    expect(preview.type).toMatch(/html/);
    expect(preview.text).toContain('Bath Brush');
    expect(preview.text).toContain('2 items were added');
  });
});

describe('checkout and orders (ref §8.2, §8.3)', () => {
  it("when the checkout is read, then it carries the cart, totals and the billing address once given; settings name the session's cart", async () => {
    const shop = shopper(url);
    const cart = await cartWith(shop, [{ productId: 120, quantity: 2 }]);
    const billing = await shop.call('POST', `/api/storefront/checkouts/${cart.id}/billing-address`, {
      email: 'kim@example.com',
      firstName: 'Kim',
      lastName: 'Lee',
      address1: '2 Elm St',
      city: 'Austin',
      stateOrProvince: 'Texas',
      postalCode: '78701',
      countryCode: 'US',
    });
    expect(billing.status).toBe(200);
    const checkout = (await shop.call('GET', `/api/storefront/checkout/${cart.id}?include=cart.lineItems.physicalItems.options,customer`)).body;
    expect(checkout).toMatchObject({
      id: cart.id,
      grandTotal: 28,
      subtotal: 28,
      outstandingBalance: 28,
      customerMessage: '',
      customer: { isGuest: true },
      billingAddress: { firstName: 'Kim', email: 'kim@example.com', countryCode: 'US', id: expect.any(String) },
      cart: { id: cart.id, lineItems: { physicalItems: [{ sku: 'EM-01', quantity: 2, categoryNames: ['Shop All', 'Kitchen'], options: [] }] } },
    });
    expect((await shop.call('GET', `/api/storefront/checkouts/${cart.id}`)).body.id).toBe(cart.id);
    const settings = (await shop.call('GET', '/api/storefront/checkout-settings')).body;
    expect(settings.context.checkoutId).toBe(cart.id);
    expect(settings.storeConfig).toMatchObject({
      storeProfile: { storeHash: t.storeHash },
      links: { orderConfirmationLink: `${url}/checkout/order-confirmation` },
    });
    expect((await shop.call('GET', '/api/storefront/form-fields')).body.billingAddress.map((f: { name: string }) => f.name)).toContain('postalCode');
  });

  it('when the order is placed, then it is Incomplete then Awaiting Fulfillment with its events, the cart is gone and only this session reads the order', async () => {
    const shop = shopper(url);
    const cart = await cartWith(shop, [{ productId: 124, variantId: variant(124, 'FLCT-GREYSTRIPE-S'), quantity: 3 }]);
    const before = store.events().length;
    const placed = await shop.call('POST', '/internalapi/v1/checkout/order', { cartId: cart.id, customerMessage: 'Ring twice' });
    expect(placed.status).toBe(200);
    const orderId = placed.body.data.order.orderId as number;
    const scopes = store
      .events()
      .slice(before)
      .map((e) => [e.payload.scope, e.payload.data.id]);
    expect(scopes.slice(0, 3)).toEqual([
      ['store/order/created', orderId],
      ['store/order/statusUpdated', orderId],
      ['store/order/updated', orderId],
    ]);
    expect(store.events().slice(before)[1]!.payload.data).toMatchObject({ status: { previous_status_id: 0, new_status_id: 11 } });
    expect(store.order(orderId)).toMatchObject({ status_id: 11, cart_id: cart.id, customer_message: 'Ring twice' });
    expect(store.product(124).variants).toEqual(expect.arrayContaining([expect.objectContaining({ sku: 'FLCT-GREYSTRIPE-S', inventory_level: 5 })]));
    expect((await shop.call('GET', '/api/storefront/carts')).body).toEqual([]);
    const order = (await shop.call('GET', `/api/storefront/orders/${orderId}?include=lineItems.physicalItems.options`)).body;
    expect(order).toMatchObject({ orderId, cartId: cart.id, status: 'AWAITING_FULFILLMENT', isComplete: true, orderAmount: 147, orderAmountAsInteger: 14700 });
    expect(order.lineItems.physicalItems).toEqual([
      expect.objectContaining({
        productId: 124,
        sku: 'FLCT-GREYSTRIPE-S',
        quantity: 3,
        options: expect.arrayContaining([expect.objectContaining({ name: 'Size', value: 'S' })]),
      }),
    ]);
    expect((await shopper(url).call('GET', `/api/storefront/orders/${orderId}`)).status).toBe(404);
  });

  it('when stock ran out since the item was added, then placing the order is refused and no order is made', async () => {
    const shop = shopper(url);
    const cart = await cartWith(shop, [{ productId: 118, quantity: 1 }]);
    store.setInventoryLevel({ productId: 118, level: 0 });
    const orders = store.orderCount();
    const placed = await shop.call('POST', '/internalapi/v1/checkout/order', { cartId: cart.id });
    expect(placed.status).toBe(409);
    expect(placed.body.detail).toMatch(/out of stock/);
    expect(store.orderCount()).toBe(orders);
    expect((await shop.call('GET', '/api/storefront/carts')).body).toHaveLength(1);
  });
});
