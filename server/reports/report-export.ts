/**
 * The report as CSV: the table's columns and dates, one row per line the filters keep, in the table's
 * order — and the reorder view. Rows stream from the database a keyset batch at a time and go out as the
 * client reads them (server/csv/csv-stream.ts); cells are formula-safe.
 */
import type { CsvValue } from '../csv/csv-write.ts';
import type { ReorderRow } from './report-summary.repo.ts';
import { STATUS_LABELS, etaWords } from './report-query.ts';
import type { ReportRow } from './report.repo.ts';

/** The report table's columns, in its order, as the CSV header names them. */
export const REPORT_COLUMNS = [
  'Order',
  'Order date',
  'Product',
  'Variant',
  'SKU',
  'Category',
  'Brand',
  'Ordered',
  'From stock',
  'Backordered',
  'Still waiting',
  'Over the limit',
  'Status',
  'ETA',
  'Age (days)',
] as const;

/** One line's cells, as the table shows them. */
export function reportCells(row: ReportRow): CsvValue[] {
  return [
    row.orderId,
    row.orderDate,
    row.productName,
    row.options,
    row.sku,
    row.categories,
    row.brand,
    row.orderedQty,
    row.fromStockQty,
    row.backorderedQty,
    row.waitingQty,
    row.overCapQty,
    STATUS_LABELS[row.status],
    etaWords(row),
    row.ageDays,
  ];
}

export const REORDER_COLUMNS = ['Product', 'Variant', 'SKU', 'Units waiting', 'Incoming', 'Incoming on', 'To reorder', 'Waiting since'] as const;

/** One reorder row's cells, as the reorder view shows them. */
export function reorderCells(row: ReorderRow): CsvValue[] {
  return [row.productName, row.options, row.sku, row.unitsWaiting, row.incoming, row.incomingOn ?? '', row.shortfall, row.waitingSince];
}
