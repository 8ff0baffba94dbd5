/**
 * An ETA says when a waiting line's units arrive: a line that stops waiting — allocated, shipped, released —
 * has none, in the database, the report and its CSV; and one that moves to another variant takes none of the
 * first variant's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MERCHANT_UNASSIGNED } from '../../../server/assignments/assignment-states.repo.ts';
import { releaseAssignment } from '../../../server/assignments/assignments.repo.ts';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS, type OrderSnapshot } from '../../../server/orders/order-snapshot.ts';
import { reportCells, REPORT_COLUMNS } from '../../../server/reports/report-export.ts';
import { readReportQuery } from '../../../server/reports/report-query.ts';
import { reportBatches } from '../../../server/reports/report.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignItems, createStore, orderFor, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'eta1';
const DUE = '2099-03-01';
beforeAll(async () => {
  await createStore(database.db, store);
});

const converge = (order: OrderSnapshot) => convergeOrder(stockDeps(database.db), store, order);
/** The order with its one line changed. */
const edited = (order: OrderSnapshot, line: Partial<OrderSnapshot['lines'][number]>, statusId = order.statusId): OrderSnapshot => ({
  ...order,
  statusId,
  lines: [{ ...order.lines[0]!, ...line }],
});
const lineOf = async (itemId: number) => (await stockOf(database.db, itemId)).lines[0]!;
/** The order's line in the report's CSV: its status and ETA. */
async function csvOf(orderId: number) {
  for await (const rows of reportBatches(database.db, { storeHash: store, timezone: 'UTC' }, readReportQuery({ sort: 'eta' }).query)) {
    const row = rows.find((r) => r.orderId === orderId);
    if (row) return [REPORT_COLUMNS.indexOf('Status'), REPORT_COLUMNS.indexOf('ETA')].map((i) => reportCells(row)[i]);
  }
  return undefined;
}

describe('a line that stops waiting has no ETA', () => {
  it('when an order’s quantity is lowered until nothing of its line waits, then the line is allocated without an ETA, and ships without one', async () => {
    // 1 in stock, 5 incoming on DUE; order 701 takes 3: 1 from stock, 2 waiting, both covered on DUE.
    const [item] = await assignItems(database.db, store, 970, [{ variantId: 9701, stock: 1, threshold: 10, incoming: 5, date: DUE }]);
    const order = orderFor(item!, 3, { id: 701 });
    await converge(order);
    expect(await lineOf(item!.id)).toMatchObject({ status: 'waiting', eta: DUE });
    // BigCommerce's level rises by 1: 1 of the 2 is allocated, 1 still waits for DUE.
    await applyBigCommerceLevels(stockDeps(database.db), store, [{ itemId: item!.id, level: 2 }]);
    expect(await lineOf(item!.id)).toMatchObject({ status: 'waiting', allocated_qty: 1, eta: DUE });

    await converge(edited(order, { quantity: 2 }));
    expect(await lineOf(item!.id)).toMatchObject({ status: 'allocated', backordered_qty: 1, allocated_qty: 1, eta: null });
    expect(await csvOf(701)).toEqual(['Allocated', '']);

    await converge(edited(order, { quantity: 2, quantityShipped: 2 }, ORDER_STATUS.shipped));
    expect(await lineOf(item!.id)).toMatchObject({ status: 'shipped', eta: null });
    expect(await csvOf(701)).toEqual(['Shipped', '']);
    expect((await stockOf(database.db, item!.id)).currentStock).toBe(0);
  });

  it('when a product with waiting lines is unassigned, then its released lines have no ETA', async () => {
    const [item] = await assignItems(database.db, store, 971, [{ variantId: 9711, stock: 0, threshold: 10, incoming: 5, date: DUE }]);
    await converge(orderFor(item!, 2, { id: 711 }));
    expect(await lineOf(item!.id)).toMatchObject({ status: 'waiting', eta: DUE });

    await releaseAssignment(database.db, store, item!.assignment_id, MERCHANT_UNASSIGNED);
    expect(await lineOf(item!.id)).toMatchObject({ status: 'released', eta: null });
    expect(await csvOf(711)).toEqual(['Released', '']);
  });

  it('when a waiting line is changed to a variant with nothing incoming, then it takes no ETA from the first', async () => {
    const [first, second] = await assignItems(database.db, store, 972, [
      { variantId: 9721, stock: 0, threshold: 10, incoming: 5, date: DUE },
      { variantId: 9722, stock: 0, threshold: 10 },
    ]);
    const order = orderFor(first!, 2, { id: 721 });
    await converge(order);
    expect(await lineOf(first!.id)).toMatchObject({ status: 'waiting', eta: DUE });

    await converge(edited(order, { variantId: second!.variant_id, sku: second!.sku }));
    expect(await lineOf(second!.id)).toMatchObject({ status: 'waiting', backordered_qty: 2, eta: null });
    expect((await stockOf(database.db, first!.id)).currentStock).toBe(0);
    expect((await stockOf(database.db, second!.id)).currentStock).toBe(-2);
  });
});
