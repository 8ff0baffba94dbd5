import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxStore } from '../../../sandbox/index.ts';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let store: SandboxStore;
beforeEach(async () => {
  t = await startTestSandbox();
  store = t.sandbox.store(t.storeHash);
});
afterEach(async () => {
  await t?.stop();
});

/** Runs `action` and returns the events it fired, as `scope data-json` lines plus the raw events. */
async function firedBy(action: () => unknown | Promise<unknown>) {
  const before = store.events().length;
  await action();
  const events = store.events().slice(before);
  return { scopes: events.map((e) => e.payload.scope), payloads: events.map((e) => e.payload) };
}

const level = async (productId: number, variantId?: number) => {
  const product = (await t.get(`/v3/catalog/products/${productId}?include=variants`)).body.data;
  return variantId === undefined ? product.inventory_level : product.variants.find((v: { id: number }) => v.id === variantId).inventory_level;
};

describe('inventory events by tracking mode (ref §6.4)', () => {
  it('when a tracked product without options changes level, then product inventory/updated (absolute, signed change) and product/updated fire', async () => {
    const { scopes, payloads } = await firedBy(() => t.put('/v3/catalog/products/100', { inventory_level: 5 }));
    expect(scopes).toEqual(['store/product/inventory/updated', 'store/product/updated']);
    expect(payloads[0]!.data).toEqual({ type: 'product', id: 100, inventory: { product_id: 100, method: 'absolute', value: -7 } });
    expect(payloads[0]).toMatchObject({ store_id: store.storeId, producer: `stores/${t.storeHash}` });
  });

  it('when an untracked product without options changes level, then only product inventory/updated fires (documented reading)', async () => {
    const { scopes } = await firedBy(() => t.put('/v3/catalog/products/105', { inventory_level: 3 }));
    expect(scopes).toEqual(['store/product/inventory/updated']);
    expect(await level(105)).toBe(3);
  });

  it('when the switch says untracked products fire nothing, then an untracked level write fires nothing', async () => {
    store.setSwitches({ inventoryEventsWhenUntracked: 'never' });
    expect((await firedBy(() => t.put('/v3/catalog/products/105', { inventory_level: 3 }))).scopes).toEqual([]);
    expect(await level(105)).toBe(3);
  });

  it('when the switch says untracked level writes are ignored, then the level stays and nothing fires', async () => {
    store.setSwitches({ untrackedLevelWrites: 'ignore' });
    expect((await firedBy(() => t.put('/v3/catalog/products/124/variants/1024', { inventory_level: 1 }))).scopes).toEqual(['store/sku/inventory/updated']);
    expect((await firedBy(() => t.put('/v3/catalog/products/130/variants/1044', { inventory_level: 9 }))).scopes).toEqual([]);
    expect(await level(130, 1044)).toBe(0);
  });

  it('when a variant of a product tracked by variant changes level, then sku inventory/updated fires with the SKU id and variant id', async () => {
    const { scopes, payloads } = await firedBy(() => t.put('/v3/catalog/products/124/variants/1025', { inventory_level: 4 }));
    expect(scopes).toEqual(['store/sku/inventory/updated']);
    const variant = (await t.get('/v3/catalog/products/124/variants/1025')).body.data;
    expect(payloads[0]!.data).toEqual({ type: 'sku', id: variant.sku_id, inventory: { product_id: 124, variant_id: 1025, method: 'absolute', value: 4 } });
  });

  it('when the product is untracked, then a variant level change fires no sku inventory event at all', async () => {
    // Ceramic Planter (130) has options and is untracked.
    expect((await firedBy(() => t.put('/v3/catalog/products/130/variants/1044', { inventory_level: 9 }))).scopes).toEqual([]);
    expect(await level(130, 1044)).toBe(9);
    // Turning tracking off on a product tracked by variant silences its variants too.
    await t.put('/v3/catalog/products/124', { inventory_tracking: 'none' });
    expect((await firedBy(() => t.put('/v3/catalog/variants', [{ id: 1024, inventory_level: 2 }]))).scopes).toEqual([]);
  });

  it("when a product with options is tracked by product, then only its product level fires, never its variants'", async () => {
    expect((await firedBy(() => t.put('/v3/catalog/products/128/variants/1039', { inventory_level: 5 }))).scopes).toEqual([]);
    expect((await firedBy(() => t.put('/v3/catalog/products/128', { inventory_level: 25 }))).scopes).toEqual([
      'store/product/inventory/updated',
      'store/product/updated',
    ]);
  });

  it('when inventoryValue reads "level", then the value is the new level', async () => {
    store.setSwitches({ inventoryValue: 'level' });
    const { payloads } = await firedBy(() => store.setInventoryLevel({ productId: 100, level: 30 }));
    expect(payloads[0]!.data).toMatchObject({ inventory: { value: 30 } });
  });

  it('when the tracking mode or another field changes, then product/updated fires; the warning level alone fires nothing', async () => {
    expect((await firedBy(() => t.put('/v3/catalog/products/100', { inventory_tracking: 'none' }))).scopes).toEqual(['store/product/updated']);
    expect((await firedBy(() => t.put('/v3/catalog/products/100', { inventory_warning_level: 3 }))).scopes).toEqual([]);
    expect((await firedBy(() => t.put('/v3/catalog/products/100', { inventory_warning_level: 3 }))).scopes).toEqual([]);
  });

  it('when later events concern the same product or order, then they repeat its hash', async () => {
    const first = await firedBy(() => t.put('/v3/catalog/products/100', { price: 1 }));
    const second = await firedBy(() => t.put('/v3/catalog/products/100', { price: 2 }));
    expect(second.payloads[0]!.hash).toBe(first.payloads[0]!.hash);
    expect(first.payloads[0]!.hash).toMatch(/^[0-9a-f]{40}$/);
    const order = await firedBy(() => store.placeOrder({ lines: [{ productId: 102, quantity: 1 }] }));
    const orderId = order.payloads[0]!.data.id as number;
    const update = await firedBy(() => t.put(`/v2/orders/${orderId}`, { staff_notes: 'x' }));
    expect(update.scopes).toEqual(['store/order/updated']);
    expect(update.payloads[0]!.hash).toBe(order.payloads[0]!.hash);
  });

  it('when products and variants are created and deleted through the API, then created/deleted events fire', async () => {
    const created = await firedBy(() => t.post('/v3/catalog/products', { name: 'New Thing', type: 'physical', weight: 1, price: 5, sku: 'NEW-1' }));
    expect(created.scopes).toEqual(['store/product/created']);
    const id = created.payloads[0]!.data.id as number;
    const variant = await firedBy(() =>
      t.post(`/v3/catalog/products/124/variants`, {
        sku: 'FLCT-RED-S',
        option_values: [
          { option_display_name: 'Color', label: 'Red' },
          { option_display_name: 'Size', label: 'S' },
        ],
      }),
    );
    expect(variant.scopes).toEqual(['store/sku/created']);
    const variantId = (variant.payloads[0]!.data.sku as { variant_id: number }).variant_id;
    expect((await firedBy(() => t.call('DELETE', `/v3/catalog/products/124/variants/${variantId}`))).scopes).toEqual(['store/sku/deleted']);
    expect((await firedBy(() => t.call('DELETE', `/v3/catalog/products/${id}`))).scopes).toEqual(['store/product/deleted']);
  });
});

describe('order events and stock (ref §4.6, §6.4)', () => {
  it('when an order is placed, then order/created fires and tracked stock moves with an order inventory event', async () => {
    const { scopes, payloads } = await firedBy(() =>
      store.placeOrder({
        lines: [
          { productId: 100, quantity: 2 },
          { productId: 124, variantId: 1024, quantity: 1 },
          { productId: 105, quantity: 4 },
        ],
      }),
    );
    expect(scopes).toEqual(['store/order/created', 'store/product/inventory/order/updated', 'store/sku/inventory/order/updated']);
    expect(payloads[1]!.data).toEqual({ type: 'product', id: 100, inventory: { product_id: 100, method: 'relative', value: -2 } });
    expect(payloads[2]!.data).toMatchObject({ type: 'sku', inventory: { product_id: 124, variant_id: 1024, method: 'relative', value: -1 } });
    expect(await level(100)).toBe(10);
    expect(await level(124, 1024)).toBe(4);
  });

  it('when a checkout creates the order, then order/created fires for the Incomplete order, then its status moves to paid', async () => {
    const { scopes, payloads } = await firedBy(() => store.placeOrder({ flow: 'checkout', lines: [{ productId: 100, quantity: 1 }] }));
    expect(scopes).toEqual(['store/order/created', 'store/order/statusUpdated', 'store/order/updated', 'store/product/inventory/order/updated']);
    expect(payloads[1]!.data).toMatchObject({ status: { previous_status_id: 0, new_status_id: 11 } });
  });

  it('when an order stays Incomplete (status 0), then order/created fires and no stock moves', async () => {
    const { scopes } = await firedBy(() => store.placeOrder({ statusId: 0, lines: [{ productId: 100, quantity: 1 }] }));
    expect(scopes).toEqual(['store/order/created']);
    expect(await level(100)).toBe(12);
  });

  it('when an order is cancelled and reinstated, then stock returns and is taken again, each with its events', async () => {
    const order = store.placeOrder({ lines: [{ productId: 100, quantity: 3 }] });
    const id = order.id as number;
    const cancel = await firedBy(() => t.put(`/v2/orders/${id}`, { status_id: 5 }));
    expect(cancel.scopes).toEqual(['store/order/statusUpdated', 'store/order/updated', 'store/product/inventory/order/updated']);
    expect(cancel.payloads[2]!.data).toMatchObject({ inventory: { value: 3 } });
    expect(await level(100)).toBe(12);
    const reinstate = await firedBy(() => store.setOrderStatus(id, 11));
    expect(reinstate.payloads[2]!.data).toMatchObject({ inventory: { value: -3 } });
    expect(await level(100)).toBe(9);
  });

  it('when part of an order is refunded, then refund/created, Partially Refunded, quantity_refunded — and no stock moves', async () => {
    const order = store.placeOrder({ lines: [{ productId: 100, quantity: 3 }] });
    const id = order.id as number;
    const lineId = store.orderProducts(id)[0]!.id as number;
    const refund = await firedBy(() => store.refundOrder(id, [{ orderProductId: lineId, quantity: 1 }]));
    expect(refund.scopes).toEqual(['store/order/refund/created', 'store/order/statusUpdated', 'store/order/updated']);
    expect(refund.payloads[0]!.data).toMatchObject({ type: 'order', id, refund: { refund_id: expect.any(Number) } });
    expect((await t.get(`/v2/orders/${id}`)).body.status).toBe('Partially Refunded');
    expect((await t.get(`/v2/orders/${id}/products`)).body[0]).toMatchObject({
      quantity: 3,
      quantity_refunded: 1,
      product_id: 100,
      variant_id: 1000,
      sku: 'ORBIT-L',
    });
    expect(await level(100)).toBe(9);
  });

  it('when a line quantity is edited, then order/updated fires and the difference moves (edit_order_stock_adjustment)', async () => {
    const order = store.placeOrder({ lines: [{ productId: 124, variantId: 1024, quantity: 1 }] });
    const lineId = store.orderProducts(order.id as number)[0]!.id as number;
    const edit = await firedBy(() => t.put(`/v2/orders/${order.id}`, { products: [{ id: lineId, quantity: 3 }] }));
    expect(edit.scopes).toEqual(['store/order/updated', 'store/sku/inventory/order/updated']);
    expect(edit.payloads[1]!.data).toMatchObject({ inventory: { value: -2 } });
    expect(await level(124, 1024)).toBe(2);
    const removed = await firedBy(() => store.editOrderQuantities(order.id as number, [{ orderProductId: lineId, quantity: 0 }]));
    expect(removed.payloads[1]!.data).toMatchObject({ inventory: { value: 3 } });
    expect(await level(124, 1024)).toBe(5);
    expect(store.orderProducts(order.id as number)).toEqual([]);
  });

  it('when stock is taken only on shipping (order_completed_or_shipped), then placing moves nothing and shipping does', async () => {
    store.setInventorySettings({ update_stock_behavior: 'order_completed_or_shipped' });
    const order = store.placeOrder({ lines: [{ productId: 100, quantity: 2 }] });
    expect(await level(100)).toBe(12);
    const ship = await firedBy(() => store.setOrderStatus(order.id as number, 2));
    expect(ship.scopes).toContain('store/product/inventory/order/updated');
    expect(await level(100)).toBe(10);
  });

  it('when an order asks for more than tracked stock, then it is refused and nothing changes; allowOutOfStock accepts it', async () => {
    const [events, orders] = [store.events().length, store.orderCount()];
    expect(() => store.placeOrder({ lines: [{ productId: 101, quantity: 1 }] })).toThrow(/out of stock/);
    expect(store.events()).toHaveLength(events);
    expect(store.orderCount()).toBe(orders);
    const order = store.placeOrder({ allowOutOfStock: true, lines: [{ productId: 101, quantity: 1 }] });
    expect(order.status_id).toBe(11);
    expect(await level(101)).toBe(0);
  });

  it('when a product cannot be bought (disabled, purchasing disabled), then the order is refused', () => {
    expect(() => store.placeOrder({ lines: [{ productId: 112, quantity: 1 }] })).toThrow(/cannot be purchased/);
    expect(() => store.placeOrder({ lines: [{ productId: 125, variantId: 1031, quantity: 1 }] })).toThrow(/Navy is back in March/);
  });
});
