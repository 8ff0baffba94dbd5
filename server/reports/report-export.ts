/**
 * The report as CSV: the table's columns and dates, one row per line the filters keep, in the table's
 * order — and the reorder view. Rows stream from the database a keyset batch at a time and go out as the
 * client reads them, so an export of a million lines holds one batch in memory. Cells are formula-safe
 * (server/csv/).
 */
import type { Writable } from 'node:stream';
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

/** Where CSV text goes: an HTTP response, or a file. */
type CsvOut = Pick<Writable, 'write' | 'on' | 'off' | 'destroyed'>;

/** Resolves once the reader has taken what was written, or has gone. */
function drained(out: CsvOut): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Writes the header, then each batch as it comes, waiting whenever the reader is behind; returns the rows written. */
export async function writeCsv<T>(out: CsvOut, header: readonly string[], batches: AsyncIterable<T[]>, cells: (row: T) => CsvValue[]): Promise<number> {
  let rows = 0;
  out.write(csvLine([...header]));
  for await (const batch of batches) {
    if (out.destroyed) break;
    rows += batch.length;
    if (!out.write(csvLines(batch.map(cells)))) await drained(out);
  }
  return rows;
}

/** Sends a CSV attachment, streamed as `writeCsv` writes it. */
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
  await writeCsv(res, header, batches, cells);
  res.end();
}
