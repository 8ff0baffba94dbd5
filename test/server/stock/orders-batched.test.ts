import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { convergeOrder, convergeOrders, orderConvergence } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS, type OrderSnapshot } from '../../../server/orders/order-snapshot.ts';
import type { InventoryItem } from '../../../server/db/schema.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor, stockOf, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase({ poolSize: 10 });
const store = 'batch1';
beforeAll(async () => {
  await createStore(database.db, store);
});

/** The same orders for another item: its lines point at `item`'s product and SKU. */
const forItem = (orders: OrderSnapshot[], item: InventoryItem, idOffset: number): OrderSnapshot[] =>
  orders.map((order) => ({
    ...order,
    id: order.id + idOffset,
    lines: order.lines.map((line) => ({ ...line, productId: item.product_id, variantId: item.variant_id, sku: item.sku })),
  }));

/** What an item's orders left: stock, the ledger's deltas in order, and each backorder line by order. */
async function endState(item: InventoryItem, idOffset: number) {
  const stock = await stockOf(database.db, item.id);
  const ledger = await database.db.selectFrom('stock_movements').select(['delta', 'stock_after']).where('item_id', '=', item.id).orderBy('id').execute();
  const lines = await database.db
    .selectFrom('backorder_lines')
    .select(['order_id', 'ordered_qty', 'from_stock_qty', 'backordered_qty', 'over_cap_qty', 'allocated_qty', 'status'])
    .where('item_id', '=', item.id)
    .orderBy('order_id')
    .execute();
  return {
    currentStock: stock.currentStock,
    waiting: stock.waiting,
    overCap: stock.overCap,
    ledger,
    lines: lines.map((line) => ({ ...line, order_id: Number(line.order_id) - idOffset })),
  };
}

describe('orders converged together', () => {
  it('when orders go together, then stock, ledger and backorder lines are what converging them one after another leaves', async () => {
    const together = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 4 });
    const apart = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 4 });
    const base = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    // Takes from stock, across zero, beyond the cap; a cancelled order that holds nothing; one shipped.
    const orders = [
      orderFor(base, 2),
      orderFor(base, 2),
      orderFor(base, 1, { statusId: ORDER_STATUS.cancelled }),
      orderFor(base, 3),
      orderFor(base, 2, { statusId: ORDER_STATUS.shipped, shipped: 2 }),
    ];
    const offset = 100_000;
    const outcomes = await convergeOrders(stockDeps(database.db), store, forItem(orders, together, offset));
    const alone = [];
    for (const order of forItem(orders, apart, 2 * offset)) alone.push(await convergeOrder(stockDeps(database.db), store, order));

    expect(outcomes.map((o) => o.moved.map(({ taken, fromStock, backordered, overCap }) => ({ taken, fromStock, backordered, overCap })))).toEqual(
      alone.map((o) => o.moved.map(({ taken, fromStock, backordered, overCap }) => ({ taken, fromStock, backordered, overCap }))),
    );
    expect(await endState(together, offset)).toEqual(await endState(apart, 2 * offset));
    expect(await endState(together, offset)).toMatchObject({ currentStock: -6, waiting: 6, overCap: 2 });
    // Every order's items say the salable quantity the whole change left.
    expect(outcomes.map((o) => o.items)).toEqual(orders.map(() => [{ itemId: together.id, salable: -2 }]));

    // Then a cancellation and a new order together: the units given back serve the waiting lines oldest first.
    const later = [{ ...orders[0]!, statusId: ORDER_STATUS.cancelled }, orderFor(base, 1)];
    await convergeOrders(stockDeps(database.db), store, forItem(later, together, offset));
    for (const order of forItem(later, apart, 2 * offset)) await convergeOrder(stockDeps(database.db), store, order);
    expect(await endState(together, offset)).toEqual(await endState(apart, 2 * offset));
  });

  it('when an order is given twice in one call, then nothing moves and it says why', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 5 });
    const order = orderFor(item, 1);
    await expect(convergeOrders(stockDeps(database.db), store, [order, order])).rejects.toThrow(/an order is given twice/);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(0);
  });
});

describe('order events converged in batches (the webhooks worker)', () => {
  it('when 200 one-unit orders on a hot item with threshold 50 arrive at once, some twice, then stock is exact, 150 are over the cap, and they went in far fewer transactions', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 50 });
    const converge = orderConvergence(stockDeps(database.db));
    const orders = Array.from({ length: 200 }, () => orderFor(item, 1));
    const outcomes = await Promise.all([...orders, ...orders.slice(0, 20)].map((order) => converge(store, order)));

    const stock = await stockOf(database.db, item.id);
    expect(stock).toMatchObject({ currentStock: -200, waiting: 200, overCap: 150 });
    expect(stock.lines).toHaveLength(200);
    const moved = outcomes.flatMap((o) => o.moved);
    expect(moved).toHaveLength(200);
    expect(moved.filter((o) => o.salableBefore > 0 && o.salableAfter <= 0)).toHaveLength(1);
    // 200 orders alone would be 200 stock changes; the first goes alone, the others wait for it and go together.
    expect(await transactionsThatMoved(item.id)).toBeLessThan(50);
  });

  it('when one order of a batch cannot be converged, then it alone fails and the others converge', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 5 });
    const converge = orderConvergence(stockDeps(database.db));
    const good = Array.from({ length: 5 }, () => orderFor(item, 1));
    // PostgreSQL refuses the line: an order line's name may not be null.
    const bad = orderFor(item, 1);
    bad.lines[0] = { ...bad.lines[0]!, name: null as unknown as string };
    const settled = await Promise.allSettled([good[0]!, bad, ...good.slice(1)].map((order) => converge(store, order)));

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: -4, waiting: 4 });
  });
});

/** How many transactions wrote the item's ledger rows (rows one transaction inserts share its id, `xmin`). */
async function transactionsThatMoved(itemId: number): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(distinct xmin::text) as n from stock_movements where item_id = ${itemId}`.execute(database.db);
  return Number(rows[0]!.n);
}
