/** A store's ledger and backorder lines, read in id order a batch at a time, for the operator's export. */
import type { CsvValue } from '../csv/csv-write.ts';
import type { Db } from '../db/database.ts';

export const LEDGER_HEADER = ['id', 'created_at', 'item_id', 'sku', 'product_id', 'variant_id', 'reason', 'delta', 'stock_after', 'order_id', 'key', 'note'];
export const BACKORDER_LINES_HEADER = [
  'id',
  'order_id',
  'order_product_id',
  'order_created_at',
  'item_id',
  'sku',
  'product_id',
  'variant_id',
  'product_name',
  'ordered_qty',
  'from_stock_qty',
  'backordered_qty',
  'allocated_qty',
  'over_cap_qty',
  'status',
  'eta',
  'shipped_at',
] as const;

/** The store's stock movements, oldest first, `batch` at a time, as rows of LEDGER_HEADER. */
export async function* ledgerRows(db: Db, storeHash: string, batch = 5_000): AsyncGenerator<CsvValue[][]> {
  for (let lastId = 0; ;) {
    const rows = await db
      .selectFrom('stock_movements as m')
      .innerJoin('inventory_items as i', (join) => join.onRef('i.id', '=', 'm.item_id').onRef('i.store_hash', '=', 'm.store_hash'))
      .select([
        'm.id',
        'm.created_at',
        'm.item_id',
        'i.sku',
        'i.product_id',
        'i.variant_id',
        'm.reason',
        'm.delta',
        'm.stock_after',
        'm.order_id',
        'm.idempotency_key',
        'm.note',
      ])
      .where('m.store_hash', '=', storeHash)
      .where('m.id', '>', lastId)
      .orderBy('m.id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    lastId = Number(rows[rows.length - 1]!.id);
    yield rows.map((r) => [
      r.id,
      r.created_at,
      r.item_id,
      r.sku,
      r.product_id,
      r.variant_id,
      r.reason,
      r.delta,
      r.stock_after,
      r.order_id,
      r.idempotency_key,
      r.note,
    ]);
  }
}

/** The store's backorder lines, in id order, `batch` at a time, as rows of BACKORDER_LINES_HEADER. */
export async function* backorderLineRows(db: Db, storeHash: string, batch = 5_000): AsyncGenerator<CsvValue[][]> {
  for (let lastId = 0; ;) {
    const rows = await db
      .selectFrom('backorder_lines')
      .select(BACKORDER_LINES_HEADER)
      .where('store_hash', '=', storeHash)
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    lastId = Number(rows[rows.length - 1]!.id);
    yield rows.map((r) => BACKORDER_LINES_HEADER.map((column) => r[column] as CsvValue));
  }
}

/** How many rows each file of the export will hold. */
export async function exportRowCounts(db: Db, storeHash: string): Promise<{ assignments: number; ledger: number; backorderLines: number }> {
  const count = async (table: 'inventory_items' | 'stock_movements' | 'backorder_lines', activeOnly = false) => {
    let query = db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('store_hash', '=', storeHash);
    if (activeOnly) query = query.where('retired_at' as never, 'is', null);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };
  const [assignments, ledger, backorderLines] = await Promise.all([count('inventory_items', true), count('stock_movements'), count('backorder_lines')]);
  return { assignments, ledger, backorderLines };
}
