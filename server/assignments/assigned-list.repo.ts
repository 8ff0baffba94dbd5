/**
 * The Assigned Products list: one row per active inventory item (one per product tracked by product, one
 * per variant otherwise), with the product's name from the catalog mirror and the variant's options.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { containsPattern } from '../catalog/product-list.repo.ts';

export interface AssignedItemRow {
  productId: number;
  itemId: number;
  variantId: number | null;
  name: string;
  optionLabels: string;
  sku: string;
  currentStock: number;
  backorderThreshold: number | null;
  incomingStock: number;
  backInStockDate: string | null;
  /** Units below zero that no waiting order accounts for. */
  shortfall: number;
  state: 'assigning' | 'active' | 'unassigning';
  bigcommerceError: string | null;
}

/**
 * Every active item of the store in the import format's terms, a batch at a time in item order (the
 * export). The SKU is the one BigCommerce has now (the mirror's), falling back to the one recorded at
 * assignment when the mirror has none.
 */
export async function* exportRows(db: Db, storeHash: string, batch = 5_000): AsyncGenerator<ExportRow[]> {
  for (let lastId = 0; ;) {
    const { rows } = await sql<ExportRow & { id: number }>`
      select i.id, coalesce(nullif(case when i.variant_id is null then p.sku else v.sku end, ''), i.sku) as sku, i.product_id as "productId", i.variant_id as "variantId", i.current_stock as "currentStock",
             i.backorder_threshold as "backorderThreshold", i.incoming_stock as "incomingStock",
             to_char(i.back_in_stock_date, 'YYYY-MM-DD') as "backInStockDate"
      from inventory_items i
      left join catalog_products p on p.store_hash = i.store_hash and p.product_id = i.product_id
      left join catalog_variants v on v.store_hash = i.store_hash and v.variant_id = i.variant_id
      where i.store_hash = ${storeHash} and i.retired_at is null and i.id > ${lastId}
      order by i.id limit ${batch}`.execute(db);
    if (rows.length === 0) return;
    lastId = Number(rows[rows.length - 1]!.id);
    yield rows;
  }
}

export interface ExportRow {
  sku: string;
  productId: number;
  variantId: number | null;
  currentStock: number;
  backorderThreshold: number | null;
  incomingStock: number;
  backInStockDate: string | null;
}

/** One page of the store's assigned items (only those short with no order waiting, when asked), in product-name order, and how many there are. */
export async function listAssignedItems(
  db: Db,
  query: { storeHash: string; search: string; short?: boolean; limit: number; offset: number },
): Promise<{ rows: AssignedItemRow[]; total: number }> {
  const pattern = containsPattern(query.search);
  const where = sql`i.store_hash = ${query.storeHash} and i.retired_at is null
    and (${query.search === ''} or coalesce(p.name, '') ilike ${pattern} or i.sku ilike ${pattern})
    and (${!query.short} or i.unexplained_shortfall > 0)`;
  const from = sql`from inventory_items i
    join assignments a on a.store_hash = i.store_hash and a.id = i.assignment_id
    left join catalog_products p on p.store_hash = i.store_hash and p.product_id = i.product_id
    left join catalog_variants v on v.store_hash = i.store_hash and v.variant_id = i.variant_id`;
  const [page, count] = await Promise.all([
    sql<AssignedItemRow>`
      select i.product_id as "productId", i.id as "itemId", i.variant_id as "variantId",
             coalesce(p.name, 'Product #' || i.product_id) as name, coalesce(v.option_labels, '') as "optionLabels",
             i.sku, i.current_stock as "currentStock", i.backorder_threshold as "backorderThreshold",
             i.incoming_stock as "incomingStock", i.back_in_stock_date as "backInStockDate",
             i.unexplained_shortfall as shortfall, a.state, a.bigcommerce_error as "bigcommerceError"
      ${from} where ${where}
      order by lower(coalesce(p.name, '')), i.product_id, i.variant_id nulls first
      limit ${query.limit} offset ${query.offset}`.execute(db),
    sql<{ total: number }>`select count(*) as total ${from} where ${where}`.execute(db),
  ]);
  return { rows: page.rows, total: Number(count.rows[0]?.total ?? 0) };
}
