/**
 * The sandbox's model of BigCommerce's native backorders (beta, ref §9; switch `nativeBackorders`): orders
 * up to on hand plus the remaining backorder limit, lines carrying `quantity_backordered`, BigCommerce's 409
 * beyond, and the limit and qty backordered read and written through the Inventory API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxStore } from '../../../sandbox/index.ts';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let store: SandboxStore;
beforeEach(async () => {
  t = await startTestSandbox();
  store = t.sandbox.store(t.storeHash);
  store.setSwitches({ nativeBackorders: true });
});
afterEach(async () => {
  await t?.stop();
});

/** Product 100: tracked by product, no options, 12 on hand. */
const item = async () => (await t.get('/v3/inventory/items?product_id:in=100')).body.data[0].locations[0];
const setLimit = (settings: Record<string, unknown>) =>
  t.put('/v3/inventory/locations/1/items', { settings: [{ identity: { product_id: 100 }, ...settings }] });

describe('native backorders in the sandbox', () => {
  it('when the limit is 5, then orders take on hand first and backorder up to 5 more; the next unit is refused with BigCommerce’s 409', async () => {
    expect((await setLimit({ backorder_limit: 5 })).status).toBe(200);
    expect(await item()).toMatchObject({ backorder_limit: 5, unlimited_backorder: false, qty_backordered: 0 });
    const order = store.placeOrder({ lines: [{ productId: 100, quantity: 15 }] });
    const lines = (await t.get(`/v2/orders/${order.id as number}/products`)).body;
    expect(lines[0]).toMatchObject({ quantity: 15, quantity_backordered: 3 });
    expect(await item()).toMatchObject({ total_inventory_onhand: 0, qty_backordered: 3 });
    store.placeOrder({ lines: [{ productId: 100, quantity: 2 }] });

    const refused = await t.post('/v2/orders', { status_id: 11, billing_address: { email: 'a@example.com' }, products: [{ product_id: 100, quantity: 1 }] });
    expect(refused.status).toBe(409);
    expect(refused.body[0].details.errors[0]).toMatchObject({
      type: 'OutOfStock',
      message: expect.stringMatching(/^Insufficient stock of variant\(id: \d+\), available stock: 0, available quantity for backorder: 0\./),
      available_quantity: 0,
      available_quantity_for_backorder: 0,
    });
  });

  it('when an order with backordered units is cancelled, then its backordered units go back first and on hand gets the rest', async () => {
    await setLimit({ backorder_limit: 10 });
    const order = store.placeOrder({ lines: [{ productId: 100, quantity: 15 }] });
    store.setOrderStatus(order.id as number, 5);
    expect(await item()).toMatchObject({ total_inventory_onhand: 12, qty_backordered: 0 });
  });

  it('when qty backordered is adjusted relatively, then it moves and may not go below 0; an unlimited limit refuses nothing', async () => {
    await setLimit({ unlimited_backorder: true });
    store.placeOrder({ lines: [{ productId: 100, quantity: 1_012 }] });
    expect(await item()).toMatchObject({ unlimited_backorder: true, qty_backordered: 1_000 });
    const moved = await t.post('/v3/inventory/adjustments/relative', {
      reason: 'r',
      items: [{ location_id: 1, product_id: 100, quantity: 4, qty_backordered: -990 }],
    });
    expect(moved.status).toBe(200);
    expect(await item()).toMatchObject({ total_inventory_onhand: 4, qty_backordered: 10 });
    const below = await t.post('/v3/inventory/adjustments/relative', { reason: 'r', items: [{ location_id: 1, product_id: 100, qty_backordered: -11 }] });
    expect(below.status).toBe(422);
    expect(await item()).toMatchObject({ total_inventory_onhand: 4, qty_backordered: 10 });
  });

  it('when a limit is written with a bad value or no setting, then 422 names the field and nothing changes', async () => {
    expect((await setLimit({ backorder_limit: -1 })).status).toBe(422);
    expect((await setLimit({})).status).toBe(422);
    expect(await item()).toMatchObject({ backorder_limit: 0 });
  });
});
