/**
 * The report as CSV: the table's columns and dates, one row per line the filters keep, in the table's
 * order — and the reorder view. Rows stream from the database a keyset batch at a time and go out as the
 * client reads them, so an export of a million lines holds one batch in memory. Cells are formula-safe
 * (server/csv/).
 */
import type { Response } from 'express';
import { csvLine, csvLines, type CsvValue } from '../csv/csv-write.ts';
import type { ReorderRow } from './report-summary.repo.ts';
import { STATUS_LABELS } from './report-query.ts';
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
    row.eta ?? 'Unknown',
    row.ageDays,
  ];
}

export const REORDER_COLUMNS = ['Product', 'Variant', 'SKU', 'Units waiting', 'Incoming', 'Incoming on', 'To reorder', 'Waiting since'] as const;

/** One reorder row's cells, as the reorder view shows them. */
export function reorderCells(row: ReorderRow): CsvValue[] {
  return [row.productName, row.options, row.sku, row.unitsWaiting, row.incoming, row.incomingOn ?? '', row.shortfall, row.waitingSince];
}

/** Resolves once the client has read what was written, or has gone. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Sends a CSV attachment: the header, then each batch as it comes, waiting whenever the client is behind. */
export async function sendCsv<T>(
  res: Response,
  filename: string,
  header: readonly string[],
  batches: AsyncIterable<T[]>,
  cells: (row: T) => CsvValue[],
): Promise<void> {
  res.set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  });
  res.write(csvLine([...header]));
  for await (const batch of batches) {
    if (res.destroyed) return;
    if (!res.write(csvLines(batch.map(cells)))) await drained(res);
  }
  res.end();
}
