import { beforeAll, describe, expect, it } from 'vitest';
import { convergeOrder, convergeOrders } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor, recordingEffects, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase({ poolSize: 5 });
const store = 'together1';
beforeAll(async () => {
  await createStore(database.db, store);
});

/** What an item's lines say, order by order, with the order ids made relative to the first. */
async function linesOf(itemId: number) {
  const { lines } = await stockOf(database.db, itemId);
  const first = lines[0]?.order_id ?? 0;
  return lines.map((l) => [l.order_id - first, l.from_stock_qty, l.backordered_qty, l.over_cap_qty, l.status]);
}

describe('orders of a store converged together', () => {
  it('when 40 orders are converged together, then stock, lines and the over-cap split are those of converging them one by one', async () => {
    const alone = await assignProduct(database.db, store, { currentStock: 10, backorderThreshold: 20 });
    const together = await assignProduct(database.db, store, { currentStock: 10, backorderThreshold: 20 });
    for (let i = 0; i < 40; i++) await convergeOrder(stockDeps(database.db), store, orderFor(alone, 1));
    const orders = Array.from({ length: 40 }, () => orderFor(together, 1));
    const outcomes = await convergeOrders(stockDeps(database.db), store, orders);

    const [a, b] = [await stockOf(database.db, alone.id), await stockOf(database.db, together.id)];
    expect([b.currentStock, b.waiting, b.overCap]).toEqual([-30, 30, 10]);
    expect([b.currentStock, b.waiting, b.overCap]).toEqual([a.currentStock, a.waiting, a.overCap]);
    expect(await linesOf(together.id)).toEqual(await linesOf(alone.id));
    // Each order is told what it moved: exactly one took the salable quantity from above 0 to 0.
    expect(outcomes.map((o) => o.moved.length)).toEqual(orders.map(() => 1));
    expect(outcomes.flatMap((o) => o.moved).filter((m) => m.salableBefore > 0 && m.salableAfter <= 0)).toHaveLength(1);
    expect(outcomes.at(-1)!.items).toEqual([{ itemId: together.id, salable: -10 }]);
  });

  it('when orders already converged come again with others (one now cancelled), then only what changed moves, in one stock change', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 2, backorderThreshold: null });
    const [first, second] = [orderFor(item, 2), orderFor(item, 3)];
    await convergeOrders(stockDeps(database.db), store, [first, second]);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(-3);

    const { effects, dropped } = recordingEffects();
    const third = orderFor(item, 1);
    const outcomes = await convergeOrders(stockDeps(database.db, effects), store, [first, { ...second, statusId: ORDER_STATUS.cancelled }, third]);
    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-1);
    expect(stock.waiting).toBe(1);
    expect(outcomes.map((o) => o.moved.map((m) => m.taken))).toEqual([[], [-3], [1]]);
    // Selling and the storefront follow the group once.
    expect(dropped).toEqual([store]);
  });

  it('when an order is given twice, then nothing is converged', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: null });
    const order = orderFor(item, 1);
    await expect(convergeOrders(stockDeps(database.db), store, [order, order])).rejects.toThrow(/given twice/);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(0);
  });
});
