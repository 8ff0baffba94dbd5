import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { editItems } from '../../../server/inventory/item-edits.service.ts';
import { receiveDueIncoming } from '../../../server/inventory/incoming.service.ts';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { todayInStore } from '../../../server/stores/stores.repo.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, editItem, orderFor, recordingEffects, stockOf, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const deps = () => stockDeps(database.db);
const store = 'store1';
beforeAll(async () => {
  await createStore(database.db, store);
});

/** Five orders of 10 units each, a day apart, for an item with no stock. */
async function fiftyWaiting() {
  const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 100 }, { assignedAt: new Date(Date.now() - 30 * 86_400_000) });
  const orders = [5, 4, 3, 2, 1].map((daysAgo) => orderFor(item, 10, { createdAt: new Date(Date.now() - daysAgo * 86_400_000) }));
  // Processed out of order: allocation follows order dates, not processing order.
  for (const order of [...orders].reverse()) await convergeOrder(stockDeps(database.db), store, order);
  return { item, orders };
}

const byOrder = (lines: Awaited<ReturnType<typeof stockOf>>['lines'], orders: { id: number }[]) => orders.map((o) => lines.find((l) => l.order_id === o.id)!);

/** Two orders of 2, a minute apart, for an item with no stock: only the newer one's event has come, and it waits. */
async function newerOrderWaiting() {
  const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 }, { assignedAt: new Date(Date.now() - 86_400_000) });
  const [older, newer] = [2, 1].map((minutesAgo) => orderFor(item, 2, { createdAt: new Date(Date.now() - minutesAgo * 60_000) })) as [
    ReturnType<typeof orderFor>,
    ReturnType<typeof orderFor>,
  ];
  await convergeOrder(deps(), store, newer);
  return { item, older, newer };
}

/** After 2 arrived (2 more incoming, dated): the older order holds the 2, the newer waits with the date. */
async function expectOlderServed(item: { id: number }, older: { id: number }, newer: { id: number }) {
  const stock = await stockOf(database.db, item.id);
  expect(stock).toMatchObject({ currentStock: -2, waiting: 2, allocated: 2 });
  expect(byOrder(stock.lines, [older, newer]).map((l) => [l.status, l.allocated_qty, l.eta])).toEqual([
    ['allocated', 2, null],
    ['waiting', 0, '2099-05-01'],
  ]);
}

describe('restocks serve the oldest backorders first', () => {
  it('when 30 arrive with 50 waiting, then the 30 oldest units are allocated in order-date order', async () => {
    const { item, orders } = await fiftyWaiting();
    await editItem(deps(), store, item.id, { incomingStock: 30, backInStockDate: await todayInStore(database.db, store) });
    expect(await receiveDueIncoming(deps())).toBe(1);

    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-20);
    expect(stock.waiting).toBe(20);
    expect(byOrder(stock.lines, orders).map((l) => [l.allocated_qty, l.status])).toEqual([
      [10, 'allocated'],
      [10, 'allocated'],
      [10, 'allocated'],
      [0, 'waiting'],
      [0, 'waiting'],
    ]);
    const item2 = await database.db.selectFrom('inventory_items').selectAll().where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(item2).toMatchObject({ incoming_stock: 0, back_in_stock_date: null });
    // Running it again finds nothing incoming.
    expect(await receiveDueIncoming(deps())).toBe(0);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(-20);
  });

  it('when an older order’s event comes after a restock served a newer one, then the older is served first and the newer waits again, with the ETA', async () => {
    const { item, older, newer } = await newerOrderWaiting();
    await editItem(deps(), store, item.id, { currentStock: 0, incomingStock: 2, backInStockDate: '2099-05-01' }); // 2 arrive: the newer order's
    await convergeOrder(deps(), store, older); // delivered late (dropped, redelivered)

    // As had the events come in time: the older order holds the 2 that arrived, the newer waits for the 2 incoming.
    await expectOlderServed(item, older, newer);
  });

  it('when an older order’s event waits for the item’s lock while a restock serves a newer one, then the older is served first', async () => {
    const { item, older, newer } = await newerOrderWaiting();
    // The restock and then the older order queue for the item's lock: the order's own statements begin before
    // the restock commits, so what tells it the newer order's line holds units must be read after the lock.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 200));
    let queued: Array<Promise<unknown>> = [];
    await database.db.transaction().execute(async (trx) => {
      await sql`select 1 from inventory_items where id = ${item.id} for no key update`.execute(trx);
      const restock = editItem(deps(), store, item.id, { currentStock: 0, incomingStock: 2, backInStockDate: '2099-05-01' });
      await pause();
      queued = [restock, convergeOrder(deps(), store, older)];
      await pause();
    });
    await Promise.all(queued);

    await expectOlderServed(item, older, newer);
  });

  it('when incoming stock has a date, then waiting lines it covers carry that ETA and the rest none', async () => {
    const { item, orders } = await fiftyWaiting();
    await editItem(deps(), store, item.id, { incomingStock: 25, backInStockDate: '2099-01-15' });
    const lines = byOrder((await stockOf(database.db, item.id)).lines, orders);
    expect(lines.map((l) => l.eta)).toEqual(['2099-01-15', '2099-01-15', null, null, null]);

    await editItem(deps(), store, item.id, { incomingStock: 50 });
    expect(byOrder((await stockOf(database.db, item.id)).lines, orders).every((l) => l.eta === '2099-01-15')).toBe(true);
  });

  it('when a correction lowers stock, then the newest allocated units wait again', async () => {
    const { item, orders } = await fiftyWaiting();
    // BigCommerce's level corrected: raised from 0 to 30 (stock −20), then lowered to 15 (stock −35). The
    // admin cannot set stock below 0: only orders, and levels read as counters, take it there.
    await applyBigCommerceLevels(deps(), store, [{ itemId: item.id, level: 30 }]);
    await applyBigCommerceLevels(deps(), store, [{ itemId: item.id, level: 15 }]);

    const stock = await stockOf(database.db, item.id);
    expect(stock.waiting).toBe(35);
    expect(byOrder(stock.lines, orders).map((l) => l.allocated_qty)).toEqual([10, 5, 0, 0, 0]);
  });

  it('when the same edit is submitted twice, then it applies once', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 4, backorderThreshold: 0 });
    // The page showed 4 and the merchant typed 9; the form (its edit key) is posted twice.
    const edit = {
      itemId: item.id,
      label: item.sku,
      values: { currentStock: 9 },
      shown: { currentStock: 4, backorderThreshold: 0, incomingStock: 0, backInStockDate: null },
    };
    await editItems(deps(), store, [edit], { reason: 'manual', runKey: 'form-abc' });
    await editItems(deps(), store, [edit], { reason: 'manual', runKey: 'form-abc' });
    expect((await stockOf(database.db, item.id)).currentStock).toBe(9);
  });

  it('when BigCommerce reports a new level, then the change is applied and reading it again changes nothing', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10, bigcommerceLevel: 0 });
    await convergeOrder(stockDeps(database.db), store, orderFor(item, 3));
    await applyBigCommerceLevels(deps(), store, [{ itemId: item.id, level: 10 }]);
    await applyBigCommerceLevels(deps(), store, [{ itemId: item.id, level: 10 }]);

    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(7);
    expect(stock.waiting).toBe(0);
    expect(stock.lines[0]?.status).toBe('allocated');
  });

  it('when an order ships, then its fully allocated line is shipped, and a waiting one ships once allocated', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const order = orderFor(item, 2);
    await convergeOrder(stockDeps(database.db), store, order);
    await convergeOrder(stockDeps(database.db), store, { ...order, statusId: ORDER_STATUS.shipped });
    expect((await stockOf(database.db, item.id)).lines[0]?.status).toBe('waiting');

    await editItem(deps(), store, item.id, { currentStock: 0 });
    const stock = await stockOf(database.db, item.id);
    expect(stock.lines[0]).toMatchObject({ status: 'shipped', allocated_qty: 2 });
    expect(stock.waiting).toBe(0);
  });
});

describe('incoming stock that arrives through BigCommerce', () => {
  it('when its back-in-stock date has passed, then the incoming stock and date are cleared, stock untouched, and ETAs become unknown', async () => {
    const erp = await createStore(database.db, 'erpstore');
    await updateSettings(database.db, erp, { inventory: { incomingStockArrivesThroughBigCommerce: true } });
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const late = await assignProduct(database.db, erp, { currentStock: 0, backorderThreshold: 10 });
    const today = await assignProduct(database.db, erp, { currentStock: 0, backorderThreshold: 10 });
    await convergeOrder(stockDeps(database.db), erp, orderFor(late, 4));
    // A date that has passed since it was set (the forms refuse a past date; the service keeps what it is given).
    await editItem(deps(), erp, late.id, { incomingStock: 20, backInStockDate: day(-2) });
    await editItem(deps(), erp, today.id, { incomingStock: 20, backInStockDate: day(0) });
    expect((await stockOf(database.db, late.id)).lines[0]?.eta).toBe(day(-2));

    const { effects, dropped } = recordingEffects();
    expect(await receiveDueIncoming(stockDeps(database.db, effects))).toBe(1);

    expect(dropped).toEqual([erp]);
    const after = await database.db
      .selectFrom('inventory_items')
      .select(['id', 'current_stock', 'incoming_stock', 'back_in_stock_date'])
      .where('store_hash', '=', erp)
      .orderBy('id')
      .execute();
    expect(after).toEqual([
      { id: late.id, current_stock: -4, incoming_stock: 0, back_in_stock_date: null },
      { id: today.id, current_stock: 0, incoming_stock: 20, back_in_stock_date: day(0) },
    ]);
    expect((await stockOf(database.db, late.id)).lines[0]).toMatchObject({ status: 'waiting', eta: null });
  });
});

describe('a shipped line whose units are given back (a return refunded, a shipped order cancelled)', () => {
  const numbers = async (itemId: number) => {
    const { currentStock, waiting, lines } = await stockOf(database.db, itemId);
    const [line] = lines;
    return [currentStock, waiting, line?.status, line?.from_stock_qty, line?.backordered_qty, line?.allocated_qty, line?.over_cap_qty];
  };
  /** An order of `quantity` with nothing in stock, restocked and shipped. */
  async function shipped(quantity: number, threshold: number) {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: threshold });
    const order = orderFor(item, quantity);
    await convergeOrder(deps(), store, order);
    await editItem(deps(), store, item.id, { currentStock: 0 });
    await convergeOrder(deps(), store, { ...order, statusId: ORDER_STATUS.shipped });
    return { item, order };
  }

  it('when a shipped order over the limit is cancelled, then its line is cancelled with its flag; reinstated from stock, nothing of it waits or counts over the limit', async () => {
    const { item, order } = await shipped(2, 1);
    expect(await numbers(item.id)).toEqual([0, 0, 'shipped', 0, 2, 2, 1]);
    await convergeOrder(deps(), store, { ...order, statusId: ORDER_STATUS.cancelled });
    expect(await numbers(item.id)).toEqual([2, 0, 'cancelled', 0, 2, 2, 1]);
    await convergeOrder(deps(), store, { ...order, statusId: ORDER_STATUS.shipped });
    expect(await numbers(item.id)).toEqual([0, 0, 'cancelled', 0, 2, 2, 1]);
    expect((await stockOf(database.db, item.id)).overCap).toBe(0);
  });

  it('when one of 3 shipped units is refunded, then the line holds 2; cancelled and reinstated with the stock gone, it waits for 2, never counting the units it shipped before', async () => {
    const { item, order } = await shipped(3, 10);
    const refunded = { ...order, statusId: ORDER_STATUS.shipped, lines: [{ ...order.lines[0]!, quantityRefunded: 1, quantityShipped: 3 }] };
    await convergeOrder(deps(), store, refunded);
    expect(await numbers(item.id)).toEqual([1, 0, 'shipped', 0, 2, 2, 0]);
    await convergeOrder(deps(), store, { ...refunded, statusId: ORDER_STATUS.cancelled });
    await editItem(deps(), store, item.id, { currentStock: 0 });
    await convergeOrder(deps(), store, { ...refunded, statusId: ORDER_STATUS.awaitingFulfillment });
    expect(await numbers(item.id)).toEqual([-2, 2, 'waiting', 0, 2, 0, 0]);
  });
});
