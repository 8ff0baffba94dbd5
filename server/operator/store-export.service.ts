/**
 * A store's data as CSV files, for an operator (a merchant leaving, a support case): its assigned items in
 * the import format (the admin's own export), its stock ledger, and its backorder lines. Written through
 * the app's CSV writer (formula guard included), a batch at a time.
 */
import { exportRows } from '../assignments/assigned-list.repo.ts';
import { csvLine, csvLines, type CsvValue } from '../csv/csv-write.ts';
import type { Db } from '../db/database.ts';
import { ASSIGNED_EXPORT_HEADER, assignedExportCells } from '../imports/csv-export.ts';
import { BACKORDER_LINES_HEADER, backorderLineRows, exportRowCounts, LEDGER_HEADER, ledgerRows } from './store-export.repo.ts';

export const EXPORT_FILES = { assignments: 'assignments.csv', ledger: 'ledger.csv', backorderLines: 'backorder-lines.csv' } as const;

/** Where the export goes: `write` appends text to a file, `rows` tells how many rows were just written. */
export interface ExportSink {
  write(file: string, text: string): Promise<void>;
  rows?(count: number): void;
}

/** How many rows the export of the store will write, file by file. */
export const exportSize = exportRowCounts;

/** Writes the store's three files; returns the rows written to each. */
export async function exportStore(db: Db, storeHash: string, sink: ExportSink): Promise<Record<keyof typeof EXPORT_FILES, number>> {
  const written = { assignments: 0, ledger: 0, backorderLines: 0 };
  const copy = async (key: keyof typeof EXPORT_FILES, header: readonly string[], batches: AsyncIterable<CsvValue[][]>) => {
    await sink.write(EXPORT_FILES[key], csvLine([...header]));
    for await (const rows of batches) {
      await sink.write(EXPORT_FILES[key], csvLines(rows));
      written[key] += rows.length;
      sink.rows?.(rows.length);
    }
  };
  await copy('assignments', ASSIGNED_EXPORT_HEADER, mapBatches(exportRows(db, storeHash), assignedExportCells));
  await copy('ledger', LEDGER_HEADER, ledgerRows(db, storeHash));
  await copy('backorderLines', BACKORDER_LINES_HEADER, backorderLineRows(db, storeHash));
  return written;
}

async function* mapBatches<T>(batches: AsyncIterable<T[]>, cells: (row: T) => CsvValue[]): AsyncGenerator<CsvValue[][]> {
  for await (const batch of batches) yield batch.map(cells);
}
