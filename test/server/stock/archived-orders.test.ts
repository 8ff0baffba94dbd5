/**
 * Archived orders, end to end against the sandbox store: BigCommerce archives an order with
 * `DELETE /v2/orders/{id}` (it then reads `is_deleted: true`) and fires store/order/archived. The app's
 * rule (README, "Archived orders"): an archived order gives back the units it had not shipped — they
 * serve the oldest waiting lines — and its lines end as Archived in the report; units it shipped stay out.
 * What BigCommerce does to the stock it tracks is unconfirmed (`archivedOrderStock`: `kept` or
 * `returned`); the app's stock follows its rule under both readings.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SWITCHES } from '../../../sandbox/switches.ts';
import { readReportQuery } from '../../../server/reports/report-query.ts';
import { reportPage } from '../../../server/reports/report.repo.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { assignProduct, createStore, orderFor, stockDeps, stockOf } from '../../helpers/inventory.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';

const installed = useInstalledApp({ seed: 'empty' });

const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;
let nextSku = 1;

async function settled<T>(read: () => Promise<T>, expected: T, timeout = 30_000): Promise<void> {
  await expect.poll(read, { timeout, interval: 100 }).toEqual(expected);
}

function product(level: number, prefix: string): number {
  const sku = `${prefix}-${nextSku++}`;
  return (store().createProduct({ name: `Archived ${sku}`, sku, price: 10, inventory_tracking: 'product', inventory_level: level }) as { id: number }).id;
}

const lineOf = async (orderId: number) =>
  db().selectFrom('backorder_lines').selectAll().where('store_hash', '=', installed.storeHash).where('order_id', '=', orderId).executeTakeFirstOrThrow();

describe.each(['kept', 'returned'] as const)('when BigCommerce %s the stock of an archived order', (reading) => {
  it('then the app gives back what the order had not shipped, its line reads Archived, the next waiting line is served, and shipped units stay out', async () => {
    store().setSwitches({ ...DEFAULT_SWITCHES, archivedOrderStock: reading });
    const heldId = product(1, 'ARCH');
    const [item] = await assignInSandbox(installed, heldId, { threshold: 10 });
    // A product BigCommerce still tracks, in the same order: the reading shows on its level alone.
    const trackedId = product(5, 'TRACK');

    // Each order is applied before the next is placed, so that they take stock in this order.
    const first = store().placeOrder({
      lines: [
        { productId: heldId, quantity: 3 },
        { productId: trackedId, quantity: 2 },
      ],
    }) as { id: number };
    await settled(async () => (await stockOf(db(), item!.id)).currentStock, -2);
    const second = store().placeOrder({ lines: [{ productId: heldId, quantity: 2 }] }) as { id: number };
    await settled(async () => (await stockOf(db(), item!.id)).currentStock, -4);
    const shipped = store().placeOrder({ lines: [{ productId: heldId, quantity: 1 }], statusId: 2 }) as { id: number };
    await settled(async () => (await stockOf(db(), item!.id)).currentStock, -5);
    expect((await lineOf(first.id)).backordered_qty).toBe(2);

    store().archiveOrder(first.id);
    store().archiveOrder(shipped.id);
    expect(store().order(first.id)).toMatchObject({ id: first.id, is_deleted: true });
    expect(
      store()
        .events({ scope: 'store/order/archived' })
        .map((e) => e.payload.data),
    ).toEqual(
      expect.arrayContaining([
        { type: 'order', id: first.id },
        { type: 'order', id: shipped.id },
      ]),
    );

    // The first order's 3 units come back (2 it waited for, 1 from stock, which serves the second order's
    // oldest waiting unit); the shipped order keeps its unit.
    await settled(async () => (await stockOf(db(), item!.id)).currentStock, -2);
    await settled(async () => (await lineOf(first.id)).status, 'archived');
    const stock = await stockOf(db(), item!.id);
    expect({ waiting: stock.waiting, shortfall: stock.shortfall }).toEqual({ waiting: 2, shortfall: 0 });
    expect(await lineOf(second.id)).toMatchObject({ status: 'waiting', backordered_qty: 2, allocated_qty: 1 });
    expect((await lineOf(shipped.id)).status).not.toBe('archived');
    const heldLevel = (store().product(heldId) as { inventory_level: number }).inventory_level;
    expect(heldLevel).toBe(1);
    expect((store().product(trackedId) as { inventory_level: number }).inventory_level).toBe(reading === 'kept' ? 3 : 5);

    const { query } = readReportQuery({ status: 'archived' });
    const archived = await reportPage(db(), { storeHash: installed.storeHash, timezone: 'UTC' }, query, { first: true }, 50);
    expect(archived.rows.map((r) => [r.orderId, r.status, r.waitingQty])).toContainEqual([first.id, 'archived', 0]);
  });
});

describe('the rule, order by order', () => {
  it('when a partly shipped order is archived, then only its unshipped units come back; restored, it takes them again', async () => {
    const storeHash = await createStore(db(), 'archive2');
    const item = await assignProduct(db(), storeHash, { currentStock: 2, backorderThreshold: null });
    const order = orderFor(item, 5, { id: 8100, shipped: 2 });
    await convergeOrder(stockDeps(db()), storeHash, order);
    expect((await stockOf(db(), item.id)).currentStock).toBe(-3);

    await convergeOrder(stockDeps(db()), storeHash, { ...order, archived: true });
    const archived = await stockOf(db(), item.id);
    expect([archived.currentStock, archived.waiting, archived.lines[0]!.status]).toEqual([0, 0, 'archived']);
    // A repeat of the event changes nothing.
    await convergeOrder(stockDeps(db()), storeHash, { ...order, archived: true });
    expect((await stockOf(db(), item.id)).currentStock).toBe(0);

    await convergeOrder(stockDeps(db()), storeHash, { ...order, archived: false });
    const restored = await stockOf(db(), item.id);
    expect([restored.currentStock, restored.waiting, restored.lines[0]!.status]).toEqual([-3, 3, 'waiting']);
  });
});

describe('another order’s lines', () => {
  it('when an order is archived, then a cancelled order of the same item keeps its Cancelled lines', async () => {
    const heldId = product(0, 'KEEP');
    const [item] = await assignInSandbox(installed, heldId, { threshold: 20 });
    const cancelled = store().placeOrder({ lines: [{ productId: heldId, quantity: 2 }] }) as { id: number };
    await settled(async () => (await stockOf(db(), item!.id)).currentStock, -2);
    store().setOrderStatus(cancelled.id, 5);
    await settled(async () => (await lineOf(cancelled.id)).status, 'cancelled');
    const archived = store().placeOrder({ lines: [{ productId: heldId, quantity: 1 }] }) as { id: number };
    await settled(async () => (await stockOf(db(), item!.id)).currentStock, -1);

    store().archiveOrder(archived.id);
    await settled(async () => (await lineOf(archived.id)).status, 'archived');
    expect((await lineOf(cancelled.id)).status).toBe('cancelled');
    expect((await stockOf(db(), item!.id)).currentStock).toBe(0);
  });

  it('when an order is archived, then no line of another store changes', async () => {
    const storeHash = await createStore(db(), 'archive3');
    const item = await assignProduct(db(), storeHash, { currentStock: 0, backorderThreshold: null });
    const order = orderFor(item, 2, { id: 8300 });
    await convergeOrder(stockDeps(db()), storeHash, order);
    await convergeOrder(stockDeps(db()), storeHash, { ...order, statusId: ORDER_STATUS.cancelled });
    expect((await stockOf(db(), item.id)).lines[0]!.status).toBe('cancelled');

    const other = await createStore(db(), 'archive4');
    const otherItem = await assignProduct(db(), other, { currentStock: 0, backorderThreshold: null });
    const archived = orderFor(otherItem, 1, { id: 8400 });
    await convergeOrder(stockDeps(db()), other, archived);
    await convergeOrder(stockDeps(db()), other, { ...archived, archived: true });
    expect((await stockOf(db(), otherItem.id)).lines[0]!.status).toBe('archived');
    expect((await stockOf(db(), item.id)).lines[0]!.status).toBe('cancelled');
  });
});
