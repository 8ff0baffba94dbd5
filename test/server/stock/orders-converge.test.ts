import { beforeAll, describe, expect, it } from 'vitest';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor, stockOf, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase({ poolSize: 10 });
const store = 'store1';
beforeAll(async () => {
  await createStore(database.db, store);
});

async function ledgerSum(itemId: number): Promise<number> {
  const rows = await database.db.selectFrom('stock_movements').select('delta').where('item_id', '=', itemId).execute();
  return rows.reduce((sum, row) => sum + row.delta, 0);
}

describe('orders converge on what they should hold', () => {
  it('when the same order arrives 5 times, then its units are taken once', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 2, backorderThreshold: 10 });
    const order = orderFor(item, 5);
    for (let i = 0; i < 5; i++) await convergeOrder(stockDeps(database.db), store, order);

    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-3);
    expect(stock.waiting).toBe(3);
    expect(stock.lines).toHaveLength(1);
    expect(stock.lines[0]).toMatchObject({ ordered_qty: 5, from_stock_qty: 2, backordered_qty: 3, over_cap_qty: 0, status: 'waiting' });
    expect(await ledgerSum(item.id)).toBe(-5);
  });

  it('when 200 one-unit orders for an item with stock 0 and threshold 50 arrive concurrently, then stock is -200, 200 wait and 150 are over the cap', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 50 });
    const orders = Array.from({ length: 200 }, () => orderFor(item, 1));
    const outcomes = (await Promise.all(orders.map((order) => convergeOrder(stockDeps(database.db), store, order)))).flatMap((c) => c.moved);

    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-200);
    expect(stock.waiting).toBe(200);
    expect(stock.overCap).toBe(150);
    expect(stock.lines.filter((l) => l.over_cap_qty > 0)).toHaveLength(150);
    // Exactly one order crossed the salable quantity from above 0 to 0: that is when selling must stop.
    expect(outcomes.filter((o) => o.salableBefore > 0 && o.salableAfter <= 0)).toHaveLength(1);
    expect(await ledgerSum(item.id)).toBe(-200);
  });

  it('when an order is cancelled, reinstated, then partially refunded, then it holds what was not refunded', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 20 });
    const base = orderFor(item, 4);
    await convergeOrder(stockDeps(database.db), store, base);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(-3);

    await convergeOrder(stockDeps(database.db), store, { ...base, statusId: ORDER_STATUS.cancelled });
    let stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(1);
    expect(stock.waiting).toBe(0);
    expect(stock.lines[0]?.status).toBe('cancelled');

    await convergeOrder(stockDeps(database.db), store, base);
    stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-3);
    expect(stock.lines[0]).toMatchObject({ status: 'waiting', from_stock_qty: 1, backordered_qty: 3, allocated_qty: 0 });

    const refunded = { ...base, statusId: ORDER_STATUS.partiallyRefunded, lines: base.lines.map((l) => ({ ...l, quantityRefunded: 2 })) };
    await convergeOrder(stockDeps(database.db), store, refunded);
    stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-1);
    expect(stock.waiting).toBe(1);
    expect(stock.lines[0]).toMatchObject({ backordered_qty: 1, from_stock_qty: 1 });
    expect(await ledgerSum(item.id)).toBe(-2);
  });

  it('when an order over the cap is partly refunded back within it, then its line no longer counts units over the limit', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 2 });
    const order = orderFor(item, 5);
    await convergeOrder(stockDeps(database.db), store, order);
    expect((await stockOf(database.db, item.id)).lines[0]).toMatchObject({ backordered_qty: 5, over_cap_qty: 3 });

    const refund = (units: number) => ({
      ...order,
      statusId: ORDER_STATUS.partiallyRefunded,
      lines: order.lines.map((l) => ({ ...l, quantityRefunded: units })),
    });
    await convergeOrder(stockDeps(database.db), store, refund(1));
    expect((await stockOf(database.db, item.id)).lines[0]).toMatchObject({ backordered_qty: 4, over_cap_qty: 2 });
    await convergeOrder(stockDeps(database.db), store, refund(3));
    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-2);
    expect(stock.overCap).toBe(0);
    expect(stock.lines[0]).toMatchObject({ backordered_qty: 2, over_cap_qty: 0, status: 'waiting' });
  });

  it('when an order placed before the assignment is cancelled after it, then it returns nothing', async () => {
    const assignedAt = new Date('2026-11-01T00:00:00Z');
    const item = await assignProduct(database.db, store, { currentStock: 5, backorderThreshold: 5 }, { assignedAt });
    const early = orderFor(item, 3, { createdAt: new Date('2026-10-30T00:00:00Z') });
    await convergeOrder(stockDeps(database.db), store, early);
    await convergeOrder(stockDeps(database.db), store, { ...early, statusId: ORDER_STATUS.cancelled });

    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(5);
    expect(stock.lines).toHaveLength(0);
    expect(await ledgerSum(item.id)).toBe(0);
  });

  it('when statusUpdated (shipped) is processed before created, then the end state is the same as in order', async () => {
    const inOrder = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const reversed = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const created = (item: typeof inOrder, id: number) => orderFor(item, 2, { id, statusId: ORDER_STATUS.awaitingFulfillment });
    const cancelled = (item: typeof inOrder, id: number) => ({ ...created(item, id), statusId: ORDER_STATUS.cancelled });

    // Handlers always re-read the order: a late "created" sees the order as it is now (cancelled).
    await convergeOrder(stockDeps(database.db), store, created(inOrder, 501));
    await convergeOrder(stockDeps(database.db), store, cancelled(inOrder, 501));
    await convergeOrder(stockDeps(database.db), store, cancelled(reversed, 502));
    await convergeOrder(stockDeps(database.db), store, cancelled(reversed, 502));

    expect((await stockOf(database.db, inOrder.id)).currentStock).toBe(0);
    expect((await stockOf(database.db, reversed.id)).currentStock).toBe(0);
  });

  it('when an event repeats an order already converged, then it takes no lock; when it changes the order, it waits for the item', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const order = orderFor(item, 2);
    await convergeOrder(stockDeps(database.db), store, order);

    // Another stock change of the item holds its row until released.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const other = database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('inventory_items').select('id').where('id', '=', item.id).forUpdate().execute();
      locked();
      await released;
    });
    await holding;
    const settledWithin = (work: Promise<unknown>, ms: number) =>
      Promise.race([work.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

    const repeat = convergeOrder(stockDeps(database.db), store, order);
    const cancel = convergeOrder(stockDeps(database.db), store, { ...order, statusId: ORDER_STATUS.cancelled });
    try {
      expect(await settledWithin(repeat, 2_000)).toBe(true);
      expect(await settledWithin(cancel, 300)).toBe(false);
    } finally {
      release();
    }
    await other;
    expect(await repeat).toEqual({ moved: [], items: [{ itemId: item.id, salable: 8 }] });
    await cancel;
    expect((await stockOf(database.db, item.id)).currentStock).toBe(0);
    expect(await ledgerSum(item.id)).toBe(0);
  });

  it('when the order is not for an assigned product, then nothing is recorded', async () => {
    const outcome = await convergeOrder(stockDeps(database.db), store, orderFor({ product_id: 999_999, variant_id: null, sku: 'X' }, 3));
    expect(outcome).toEqual({ moved: [], items: [] });
  });

  it('when an order mixes assigned and unassigned products and gains a line later, then each assigned line holds from its item once', async () => {
    const [first, added] = await Promise.all([
      assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 }),
      assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 }),
    ]);
    const base = orderFor(first!, 2);
    const line = (item: { product_id: number; sku: string }, orderProductId: number, quantity: number) => ({
      ...base.lines[0]!,
      orderProductId,
      productId: item.product_id,
      sku: item.sku,
      quantity,
    });
    const unassigned = line({ product_id: 999_998, sku: 'NOT-HELD' }, base.lines[0]!.orderProductId + 1, 5);
    const before = await convergeOrder(stockDeps(database.db), store, { ...base, lines: [...base.lines, unassigned] });
    expect(before.moved.map((m) => [m.itemId, m.taken])).toEqual([[first!.id, 2]]);

    const later = line(added!, base.lines[0]!.orderProductId + 2, 3);
    const after = await convergeOrder(stockDeps(database.db), store, { ...base, lines: [...base.lines, unassigned, later] });
    expect(after.moved.map((m) => [m.itemId, m.taken])).toEqual([[added!.id, 3]]);
    expect(after.items.map((i) => i.itemId).sort((a, b) => a - b)).toEqual([first!.id, added!.id].sort((a, b) => a - b));
    expect(await stockOf(database.db, first!.id)).toMatchObject({ currentStock: -1 });
    expect(await stockOf(database.db, added!.id)).toMatchObject({ currentStock: -3 });
  });

  it('when an order is cancelled after one of its products was unassigned, then the assigned item gets its units back and the released line keeps what it held', async () => {
    const [kept, released] = await Promise.all([
      assignProduct(database.db, store, { currentStock: 5, backorderThreshold: 10 }),
      assignProduct(database.db, store, { currentStock: 5, backorderThreshold: 10 }),
    ]);
    const base = orderFor(kept!, 2);
    const second = { ...base.lines[0]!, orderProductId: base.lines[0]!.orderProductId + 1, productId: released!.product_id, sku: released!.sku, quantity: 3 };
    const order = { ...base, lines: [...base.lines, second] };
    await convergeOrder(stockDeps(database.db), store, order);
    await database.db.updateTable('inventory_items').set({ retired_at: new Date() }).where('id', '=', released!.id).execute();

    const cancelled = await convergeOrder(stockDeps(database.db), store, { ...order, statusId: ORDER_STATUS.cancelled });
    expect(cancelled.moved.map((m) => [m.itemId, m.taken])).toEqual([[kept!.id, -2]]);
    expect((await stockOf(database.db, kept!.id)).currentStock).toBe(5);
    expect((await stockOf(database.db, released!.id)).currentStock).toBe(2);
    const held = await database.db
      .selectFrom('order_lines')
      .select(['item_id', 'held_qty'])
      .where('order_id', '=', order.id)
      .orderBy('order_product_id')
      .execute();
    expect(held).toEqual([
      { item_id: kept!.id, held_qty: 0 },
      { item_id: released!.id, held_qty: 3 },
    ]);
  });

  it('when the ledger already holds the key of an order line’s move (its numbers cannot be trusted), then the change fails and records nothing', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 5, backorderThreshold: 0 });
    const order = orderFor(item, 2);
    const key = `order:${order.id}:${order.lines[0]!.orderProductId}:v1`;
    await database.db
      .insertInto('stock_movements')
      .values({ store_hash: store, item_id: item.id, delta: -2, stock_after: 3, reason: 'order', order_id: order.id, idempotency_key: key, note: null })
      .execute();

    await expect(convergeOrder(stockDeps(database.db), store, order)).rejects.toThrow(/foreseen under its item's lock; nothing was recorded/);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(5);
    expect(await database.db.selectFrom('order_lines').select('held_qty').where('order_id', '=', order.id).execute()).toEqual([]);
  });

  it('when the threshold is unlimited, then nothing is ever over the cap', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: null });
    await convergeOrder(stockDeps(database.db), store, orderFor(item, 1000));
    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-1000);
    expect(stock.overCap).toBe(0);
  });
});
