/**
 * A product unassigned (or a variant gone) is followed no more: its open backorder lines, waiting or
 * allocated, end released, and no longer count as open anywhere the report or the products tab looks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MERCHANT_UNASSIGNED } from '../../../server/assignments/assignment-states.repo.ts';
import { releaseAssignment } from '../../../server/assignments/assignments.repo.ts';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { overLimitNotice } from '../../../server/reports/over-limit.ts';
import { reportCells, REPORT_COLUMNS } from '../../../server/reports/report-export.ts';
import { readReportQuery } from '../../../server/reports/report-query.ts';
import { reportBatches, reportPage, type ReportScope } from '../../../server/reports/report.repo.ts';
import { reportSummary } from '../../../server/reports/report-summary.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignItems, createStore, orderFor, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'released1';
const scope: ReportScope = { storeHash: store, timezone: 'UTC' };
beforeAll(async () => {
  await createStore(database.db, store);
});

/** What the merchant sees of the store's lines: the table, the CSV, the summary, the over-limit filter and the products tab's warning. */
async function seen() {
  const db = database.db;
  const query = readReportQuery({}).query;
  const csv: string[][] = [];
  for await (const rows of reportBatches(db, scope, query)) csv.push(...rows.map((row) => reportCells(row).map(String)));
  const cell = (name: (typeof REPORT_COLUMNS)[number]) => REPORT_COLUMNS.indexOf(name);
  return {
    table: (await reportPage(db, scope, query, { first: true }, 50)).rows.map((r) => [r.orderId, r.status, r.waitingQty, r.overCapQty]),
    csv: csv.map((row) => [row[cell('Status')], row[cell('Over the limit')]]),
    summary: (await reportSummary(db, scope, query.filters)).overLimitUnits,
    filtered: (await reportPage(db, scope, readReportQuery({ show: 'over-limit' }).query, { first: true }, 50)).rows.map((r) => r.orderId),
    warning: (await overLimitNotice(db, store))?.text ?? null,
  };
}

describe('lines of an unassigned product', () => {
  it('when an allocated line over the limit is unassigned and its order then cancelled, then it reads Released and nothing counts it over the limit', async () => {
    // A variant with 1 in stock and no threshold; order 601 takes 2: 1 from stock, 1 over the limit.
    const [variant] = await assignItems(database.db, store, 950, [{ variantId: 9501, stock: 1, threshold: 0 }]);
    const order = orderFor(variant!, 2, { id: 601 });
    await convergeOrder(stockDeps(database.db), store, order);
    // BigCommerce's level raised from 1 to 2: the unit owed to order 601 arrives.
    await applyBigCommerceLevels(stockDeps(database.db), store, [{ itemId: variant!.id, level: 2 }]);
    expect(await seen()).toEqual({
      table: [[601, 'allocated', 0, 1]],
      csv: [['Allocated', '1']],
      summary: 1,
      filtered: [601],
      warning: expect.stringMatching(/^1 unit in 1 order went over the limit/),
    });

    await releaseAssignment(database.db, store, variant!.assignment_id, MERCHANT_UNASSIGNED);
    await convergeOrder(stockDeps(database.db), store, { ...order, statusId: ORDER_STATUS.cancelled });

    expect(await seen()).toEqual({ table: [[601, 'released', 0, 0]], csv: [['Released', '0']], summary: 0, filtered: [], warning: null });
    // The numbers stay for history, and the retired item's stock did not move on the cancel.
    const stock = await stockOf(database.db, variant!.id);
    expect(stock.lines[0]).toMatchObject({ backordered_qty: 1, allocated_qty: 1, over_cap_qty: 1 });
    expect(stock.currentStock).toBe(0);
  });
});
