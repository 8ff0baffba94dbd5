/**
 * What a purchasing team reads above the report's lines: how much waits and since when, the next date
 * stock is due, units over the limit — and what to reorder: the filtered waiting units grouped by product
 * and variant, against the stock already incoming.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ReportFilters } from './report-query.ts';
import { lineFilter, OVER_LIMIT_QTY, WAITING, zoneOf, type ReportScope } from './report.repo.ts';

export interface ReportSummary {
  /** Lines the filters keep. */
  lines: number;
  unitsWaiting: number;
  linesWaiting: number;
  /** Age in days of the oldest line still waiting; null when none waits. */
  oldestWaitingDays: number | null;
  /** The soonest ETA of a waiting line from today on (YYYY-MM-DD); null when none is known. */
  nextEta: string | null;
  overLimitUnits: number;
}

/** The summary of the lines the filters keep. */
export async function reportSummary(db: Db, scope: ReportScope, filters: ReportFilters): Promise<ReportSummary> {
  const zone = zoneOf(scope.timezone);
  const today = sql`(now() at time zone ${zone})::date`;
  const { rows } = await sql<{ lines: string; units: string; waiting: string; oldest: number | null; eta: string | null; over: string }>`
    select count(*) as lines, coalesce(sum(${WAITING('b')}), 0) as units,
           count(*) filter (where b.status = 'waiting') as waiting,
           ${today} - (min(b.order_created_at) filter (where b.status = 'waiting') at time zone ${zone})::date as oldest,
           (min(b.eta) filter (where b.status = 'waiting' and b.eta >= ${today}))::text as eta,
           coalesce(sum(${OVER_LIMIT_QTY('b')}), 0) as over
    from backorder_lines b where ${lineFilter(scope, filters)}`.execute(db);
  const row = rows[0]!;
  return {
    lines: Number(row.lines),
    unitsWaiting: Number(row.units),
    linesWaiting: Number(row.waiting),
    oldestWaitingDays: row.oldest === null ? null : Number(row.oldest),
    nextEta: row.eta,
    overLimitUnits: Number(row.over),
  };
}

export interface ReorderRow {
  itemId: number;
  productName: string;
  options: string;
  sku: string;
  unitsWaiting: number;
  /** The item's incoming stock, and the day it is due (YYYY-MM-DD or null). */
  incoming: number;
  incomingOn: string | null;
  /** Units waiting that the incoming stock does not cover: what to order. */
  shortfall: number;
  /** The order day (store's time zone) of the oldest line waiting, YYYY-MM-DD. */
  waitingSince: string;
}

/**
 * The waiting units of the filtered lines by product and variant (inventory item), the largest shortfall
 * first; `offset`/`limit` page through them, and without a limit every group is returned.
 */
export async function reorderRows(db: Db, scope: ReportScope, filters: ReportFilters, page: { limit: number | null; offset: number }): Promise<ReorderRow[]> {
  const zone = zoneOf(scope.timezone);
  const { rows } = await sql<ReorderRow>`
    with waiting as (
      select b.item_id, sum(${WAITING('b')})::integer as units, min(b.order_created_at) as since, max(b.id) as latest
      from backorder_lines b
      where ${lineFilter(scope, filters)} and b.status = 'waiting'
      group by b.item_id
    )
    select w.item_id as "itemId", l.product_name as "productName", coalesce(cv.option_labels, '') as options,
           coalesce(nullif(i.sku, ''), l.sku) as sku, w.units as "unitsWaiting",
           i.incoming_stock as incoming, i.back_in_stock_date::text as "incomingOn",
           greatest(0, w.units - i.incoming_stock) as shortfall,
           to_char(w.since at time zone ${zone}, 'YYYY-MM-DD') as "waitingSince"
    from waiting w
    join inventory_items i on i.store_hash = ${scope.storeHash} and i.id = w.item_id
    join backorder_lines l on l.id = w.latest
    left join catalog_variants cv on cv.store_hash = i.store_hash and cv.variant_id = i.variant_id
    order by shortfall desc, w.units desc, w.item_id
    limit ${page.limit ?? null} offset ${page.offset}`.execute(db);
  return rows;
}

/** How many products and variants the reorder view lists. */
export async function reorderCount(db: Db, scope: ReportScope, filters: ReportFilters): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(distinct b.item_id) as n from backorder_lines b where ${lineFilter(scope, filters)} and b.status = 'waiting'`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
