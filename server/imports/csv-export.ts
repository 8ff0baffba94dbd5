/** A row of the Assigned Products export in the import format's columns (export → edit → "import to update"). */
import { COLUMNS } from './csv-format.ts';
import { formatField } from '../inventory/item-values.ts';
import type { ExportRow } from '../assignments/assigned-list.repo.ts';
import type { CsvValue } from '../csv/csv-write.ts';

export const ASSIGNED_EXPORT_HEADER: string[] = [...COLUMNS];

/** The row's cells, in COLUMNS order. */
export function assignedExportCells(r: ExportRow): CsvValue[] {
  return [r.sku, r.productId, r.variantId, r.currentStock, formatField('backorderThreshold', r.backorderThreshold), r.incomingStock, r.backInStockDate];
}
