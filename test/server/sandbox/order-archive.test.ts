/**
 * Archiving an order in the sandbox as BigCommerce does (ref §5.1, §6.4): `DELETE /v2/orders/{id}` answers
 * 204, the order still reads (`is_deleted: true`), store/order/archived fires with `{ type, id }`, and the
 * stock BigCommerce tracks follows the `archivedOrderStock` switch (unconfirmed): kept or returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxStore } from '../../../sandbox/index.ts';
import { DEFAULT_SWITCHES } from '../../../sandbox/switches.ts';
import { schemaProblems, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let store: SandboxStore;
beforeAll(async () => {
  t = await startTestSandbox();
  store = t.sandbox.store(t.storeHash);
});
afterAll(async () => {
  await t?.stop();
});

let nextSku = 1;
const tracked = (level: number) =>
  (
    store.createProduct({ name: `Lamp ${nextSku}`, sku: `LAMP-${nextSku++}`, price: 10, inventory_tracking: 'product', inventory_level: level }) as {
      id: number;
    }
  ).id;
const levelOf = (id: number) => (store.product(id) as { inventory_level: number }).inventory_level;

describe('DELETE /v2/orders/{id}', () => {
  it('when an order is archived, then 204 with no body, it reads is_deleted: true in BigCommerce’s shape, and store/order/archived fires once', async () => {
    const order = store.placeOrder({ lines: [{ productId: tracked(5), quantity: 1 }] }) as { id: number };
    expect((await t.get(`/v2/orders/${order.id}`)).body.is_deleted).toBe(false);
    const before = store.events({ scope: 'store/order/archived' }).length;
    const archived = await t.call('DELETE', `/v2/orders/${order.id}`);
    expect([archived.status, archived.body]).toEqual([204, undefined]);
    const read = await t.get(`/v2/orders/${order.id}`);
    expect(read.status).toBe(200);
    expect(read.body.is_deleted).toBe(true);
    expect(schemaProblems('v2.orders.get.200', read.body)).toEqual([]);
    const events = store.events({ scope: 'store/order/archived' });
    expect(events.slice(before).map((e) => e.payload.data)).toEqual([{ type: 'order', id: order.id }]);
    // Archiving again changes nothing and fires nothing.
    expect((await t.call('DELETE', `/v2/orders/${order.id}`)).status).toBe(204);
    expect(store.events({ scope: 'store/order/archived' }).length).toBe(before + 1);
  });

  it('when the order does not exist, then 404 as v2 answers', async () => {
    const answer = await t.call('DELETE', '/v2/orders/999999');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual([{ status: 404, message: 'The requested resource was not found.' }]);
  });

  it.each([
    ['kept', 3],
    ['returned', 5],
  ] as const)('when archivedOrderStock is %s, then the level BigCommerce tracks is %i after an order of 2 is archived', async (reading, level) => {
    store.setSwitches({ ...DEFAULT_SWITCHES, archivedOrderStock: reading });
    const id = tracked(5);
    const order = store.placeOrder({ lines: [{ productId: id, quantity: 2 }] }) as { id: number };
    expect(levelOf(id)).toBe(3);
    expect((await t.call('DELETE', `/v2/orders/${order.id}`)).status).toBe(204);
    expect(levelOf(id)).toBe(level);
    store.setSwitches({ ...DEFAULT_SWITCHES });
  });

  it('when the switch is set to a reading that does not exist, then it is refused, naming the readings', () => {
    expect(() => store.setSwitches({ archivedOrderStock: 'lost' as never })).toThrow('switch archivedOrderStock must be one of kept, returned');
  });
});
