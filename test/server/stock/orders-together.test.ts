import { beforeAll, describe, expect, it } from 'vitest';
import { convergeOrder, convergeOrders } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { markStrict } from '../../../server/inventory/strict-levels.repo.ts';
import type { StockEffects } from '../../../server/inventory/stock-effects.ts';
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

  it('when strict orders are converged together, then BigCommerce’s expected level moves as for each alone and only a processed refund asks for a write', async () => {
    const strictItem = async () => {
      const item = await assignProduct(database.db, store, { currentStock: 10, backorderThreshold: 20 });
      await markStrict(database.db, store, [item.id], true, new Date(Date.now() - 60_000));
      await database.db.updateTable('inventory_items').set({ bigcommerce_level: 30 }).where('id', '=', item.id).execute();
      return item;
    };
    const levelOf = async (itemId: number) =>
      (await database.db.selectFrom('inventory_items').select('bigcommerce_level').where('id', '=', itemId).executeTakeFirstOrThrow()).bigcommerce_level;
    const writes: number[] = [];
    const effects: StockEffects = { ...recordingEffects().effects, writeLevels: async (_store, itemIds) => void writes.push(...itemIds) };
    const [alone, together] = [await strictItem(), await strictItem()];
    // Five orders BigCommerce counted; then one is cancelled (BigCommerce gives its unit back) and one refunded
    // (BigCommerce does not: the app writes that unit back itself).
    const placed = (item: typeof alone) => Array.from({ length: 5 }, () => orderFor(item, 1));
    const calledOff = (orders: ReturnType<typeof placed>) => [
      { ...orders[0]!, statusId: ORDER_STATUS.cancelled },
      { ...orders[1]!, statusId: ORDER_STATUS.refunded, lines: [{ ...orders[1]!.lines[0]!, quantityRefunded: 1 }] },
    ];
    const ordersAlone = placed(alone);
    for (const order of [...ordersAlone, ...calledOff(ordersAlone)]) await convergeOrder(stockDeps(database.db, effects), store, order);
    const ordersTogether = placed(together);
    await convergeOrders(stockDeps(database.db, effects), store, ordersTogether);
    expect([(await stockOf(database.db, together.id)).currentStock, await levelOf(together.id)]).toEqual([5, 25]);
    expect(writes).not.toContain(together.id);
    await convergeOrders(stockDeps(database.db, effects), store, calledOff(ordersTogether));

    expect([(await stockOf(database.db, together.id)).currentStock, await levelOf(together.id)]).toEqual([7, 26]);
    expect(await levelOf(together.id)).toBe(await levelOf(alone.id));
    expect(writes.filter((id) => id === together.id)).toHaveLength(1);
    expect(writes.filter((id) => id === alone.id)).toHaveLength(1);
  });

  it('when an order is given twice, then nothing is converged', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: null });
    const order = orderFor(item, 1);
    await expect(convergeOrders(stockDeps(database.db), store, [order, order])).rejects.toThrow(/given twice/);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(0);
  });
});
