/** The backorder report's rows: every backorder line of the store, newest order first. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { BackorderStatus } from '../db/schema.ts';
import { containsPattern } from '../catalog/product-list.repo.ts';

export interface ReportRow {
  id: number;
  orderId: number;
  productName: string;
  sku: string;
  orderedQty: number;
  fromStockQty: number;
  backorderedQty: number;
  waitingQty: number;
  /** Units sold beyond the salable quantity; 0 once the line is cancelled (it holds nothing any more). */
  overCapQty: number;
  status: BackorderStatus;
  eta: string | null;
  orderCreatedAt: Date;
}

/** Open lines (waiting or allocated, not released) holding units sold beyond the salable quantity. */
const OVER_LIMIT = sql`over_cap_qty > 0 and status in ('waiting', 'allocated')`;

export interface OverLimitSummary {
  units: number;
  orders: number;
  lines: number;
}

/** How many units, orders and lines of the store are over the limit: what the admin's warning counts. */
export async function overLimitSummary(db: Db, storeHash: string): Promise<OverLimitSummary> {
  const { rows } = await sql<{ units: string; orders: string; lines: string }>`
    select coalesce(sum(over_cap_qty), 0) as units, count(distinct order_id) as orders, count(*) as lines
    from backorder_lines where store_hash = ${storeHash} and ${OVER_LIMIT}`.execute(db);
  const row = rows[0];
  return { units: Number(row?.units ?? 0), orders: Number(row?.orders ?? 0), lines: Number(row?.lines ?? 0) };
}

/** One page of the store's backorder lines matching `search` (product name or SKU) — or only those over the limit — and how many match. */
export async function listBackorderLines(
  db: Db,
  query: { storeHash: string; search: string; overLimit?: boolean; limit: number; offset: number },
): Promise<{ rows: ReportRow[]; total: number }> {
  const pattern = containsPattern(query.search);
  const where = sql`store_hash = ${query.storeHash} and (${query.search === ''} or product_name ilike ${pattern} or sku ilike ${pattern})
    and (${!query.overLimit} or (${OVER_LIMIT}))`;
  const [page, count] = await Promise.all([
    sql<ReportRow>`
      select id, order_id as "orderId", product_name as "productName", sku, ordered_qty as "orderedQty",
             from_stock_qty as "fromStockQty", backordered_qty as "backorderedQty",
             case when status = 'waiting' then backordered_qty - allocated_qty else 0 end as "waitingQty",
             case when status = 'cancelled' then 0 else over_cap_qty end as "overCapQty", status, eta, order_created_at as "orderCreatedAt"
      from backorder_lines where ${where}
      order by order_created_at desc, id desc
      limit ${query.limit} offset ${query.offset}`.execute(db),
    sql<{ total: number }>`select count(*) as total from backorder_lines where ${where}`.execute(db),
  ]);
  return { rows: page.rows, total: Number(count.rows[0]?.total ?? 0) };
}
