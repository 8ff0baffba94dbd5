/**
 * The backorder report's rows. Lines are filtered by order date (in the store's time zone), category,
 * brand, status, over the limit and a search by product name or SKU, and paged by keyset: a page starts
 * after (or ends before) a line, compared on (sort value, line id), so a line inserted while a merchant
 * pages moves nothing, and the last page of a large store costs what the first does.
 */
import { sql, type RawBuilder } from 'kysely';
import { keysetPage, type KeysetPage, type PageAt } from '../admin/paging.ts';
import type { Db } from '../db/database.ts';
import type { BackorderStatus } from '../db/schema.ts';
import { containsPattern } from '../catalog/product-list.repo.ts';
import type { ReportFilters, ReportQuery } from './report-query.ts';

/** Whose lines, and the time zone their dates are read in. */
export interface ReportScope {
  storeHash: string;
  /** An IANA zone name; '' or unknown is read as UTC. */
  timezone: string;
}

export interface ReportRow {
  id: number;
  orderId: number;
  /** The order's day in the store's time zone, YYYY-MM-DD. */
  orderDate: string;
  productName: string;
  /** The variant's options, e.g. "Size: L, Colour: Red"; '' for a product without options. */
  options: string;
  sku: string;
  /** The product's categories by name, comma-separated. */
  categories: string;
  brand: string;
  orderedQty: number;
  fromStockQty: number;
  backorderedQty: number;
  waitingQty: number;
  /** Units sold beyond the salable quantity while the line is open (`OVER_LIMIT_QTY`); 0 once it is not. */
  overCapQty: number;
  status: BackorderStatus;
  /** YYYY-MM-DD, or null when unknown. */
  eta: string | null;
  /** Whole days from the order's day to today, in the store's time zone. */
  ageDays: number;
}

const OPEN = `('waiting', 'allocated')`;

/**
 * A line's units "over the limit", the one meaning the summary, the filter, the table, the CSV and the
 * products tab's warning share: units sold beyond the salable quantity on a line still open (waiting or
 * allocated) — what the merchant has yet to restock or tell the shopper about. A line shipped, cancelled,
 * archived or released (its product unassigned) counts 0: nothing is left to act on, as its "still waiting"
 * is 0 too.
 */
export const OVER_LIMIT_QTY = (b: string) => sql.raw(`(case when ${b}.status in ${OPEN} then ${b}.over_cap_qty else 0 end)`);
/** The lines whose `OVER_LIMIT_QTY` is above 0, in the words of the partial index that finds them (0017). */
const OVER_LIMIT_LINE = (b: string) => sql.raw(`(${b}.over_cap_qty > 0 and ${b}.status in ${OPEN})`);

export interface OverLimitSummary {
  units: number;
  orders: number;
  lines: number;
}

/** How many units, orders and lines of the store are over the limit: what the admin's warning counts. */
export async function overLimitSummary(db: Db, storeHash: string): Promise<OverLimitSummary> {
  const { rows } = await sql<{ units: string; orders: string; lines: string }>`
    select coalesce(sum(b.over_cap_qty), 0) as units, count(distinct order_id) as orders, count(*) as lines
    from backorder_lines b where b.store_hash = ${storeHash} and ${OVER_LIMIT_LINE('b')}`.execute(db);
  const row = rows[0];
  return { units: Number(row?.units ?? 0), orders: Number(row?.orders ?? 0), lines: Number(row?.lines ?? 0) };
}

/** Zone names already checked: building an Intl.DateTimeFormat costs about a millisecond, and an export asks per batch. */
const checkedZones = new Map<string, string>();

/** The zone PostgreSQL reads dates in: the store's, when it names one Node knows too, else UTC. */
export function zoneOf(timezone: string): string {
  if (!timezone) return 'UTC';
  let zone = checkedZones.get(timezone);
  if (zone === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
      zone = timezone;
    } catch {
      zone = 'UTC';
    }
    checkedZones.set(timezone, zone);
  }
  return zone;
}

/** A line's units still waiting for stock. */
export const WAITING = (b: string) => sql.raw(`(case when ${b}.status = 'waiting' then ${b}.backordered_qty - ${b}.allocated_qty else 0 end)`);

/** The lines of `b` (an alias of backorder_lines) the filters keep, in the scope's store. */
export function lineFilter(scope: ReportScope, filters: ReportFilters, b = 'b'): RawBuilder<unknown> {
  const at = (column: string) => sql.ref(`${b}.${column}`);
  const zone = zoneOf(scope.timezone);
  const parts: RawBuilder<unknown>[] = [sql`${at('store_hash')} = ${scope.storeHash}`];
  // A day in the store's time zone runs from its midnight there to the next (23 or 25 hours across a DST change).
  if (filters.from) parts.push(sql`${at('order_created_at')} >= (${filters.from}::date)::timestamp at time zone ${zone}`);
  if (filters.to) parts.push(sql`${at('order_created_at')} < (${filters.to}::date + 1)::timestamp at time zone ${zone}`);
  // A product in several categories matches each of them.
  if (filters.categoryId !== null) {
    parts.push(sql`${at('product_id')} in (select product_id from catalog_products
      where store_hash = ${scope.storeHash} and category_ids @> array[${filters.categoryId}]::integer[])`);
  }
  if (filters.brandId !== null) {
    parts.push(sql`${at('product_id')} in (select product_id from catalog_products where store_hash = ${scope.storeHash} and brand_id = ${filters.brandId})`);
  }
  if (filters.status) parts.push(sql`${at('status')} = ${filters.status}`);
  if (filters.overLimit) parts.push(OVER_LIMIT_LINE(b));
  if (filters.search) {
    const pattern = containsPattern(filters.search);
    parts.push(sql`(${at('product_name')} ilike ${pattern} or ${at('sku')} ilike ${pattern})`);
  }
  return sql.join(parts, sql` and `);
}

/** The value a sort orders by, on alias `b`; age is the order date read the other way. */
function sortKey(sort: ReportQuery['sort'], b: string): RawBuilder<unknown> {
  switch (sort) {
    case 'date':
    case 'age':
      return sql.raw(`${b}.order_created_at`);
    case 'eta':
      return sql.raw(`coalesce(${b}.eta, 'infinity'::date)`);
    case 'backordered':
      return sql.raw(`${b}.backordered_qty`);
    case 'waiting':
      return WAITING(b);
  }
}

/** Which way the index is walked: age descending is the oldest order first. */
function walk(query: ReportQuery): 'asc' | 'desc' {
  if (query.sort !== 'age') return query.direction;
  return query.direction === 'asc' ? 'desc' : 'asc';
}

/** One page of the report's lines, `limit` long, at `at`. */
export async function reportPage(db: Db, scope: ReportScope, query: ReportQuery, at: PageAt, limit: number): Promise<KeysetPage<ReportRow>> {
  const forward = walk(query);
  const backward = forward === 'asc' ? 'desc' : 'asc';
  return keysetPage(at, limit, (page) =>
    selectLines(db, scope, query, { direction: page.backward ? backward : forward, cursor: page.cursor, limit: page.limit }),
  );
}

/**
 * Every line the query keeps, in its order, `batch` rows at a time (each batch one keyset query). The next
 * batch is asked for as soon as this one arrives, so PostgreSQL reads it while the caller writes this one.
 * Each query is planned and names its products again, so batches are large: two of 10,000 rows (the one
 * written, the one read) hold some 15 MB.
 */
export async function* reportBatches(db: Db, scope: ReportScope, query: ReportQuery, batch = 10_000): AsyncGenerator<ReportRow[]> {
  const read = (cursor: number | null) => selectLines(db, scope, query, { direction: walk(query), cursor, limit: batch });
  let next: Promise<ReportRow[]> | null = read(null);
  while (next) {
    const rows: ReportRow[] = await next;
    next = rows.length === batch ? read(rows[rows.length - 1]!.id) : null;
    try {
      if (rows.length > 0) yield rows;
    } finally {
      // Settled here too when the caller stops early, so that no read is left running unheard.
      await next?.catch(() => undefined);
    }
  }
}

async function selectLines(
  db: Db,
  scope: ReportScope,
  query: ReportQuery,
  page: { direction: 'asc' | 'desc'; cursor: number | null; limit: number },
): Promise<ReportRow[]> {
  const zone = zoneOf(scope.timezone);
  const key = sortKey(query.sort, 'b');
  const order = sql.raw(page.direction);
  const comparison = sql.raw(page.direction === 'asc' ? '>' : '<');
  const after =
    page.cursor === null
      ? sql`true`
      : sql`(${key}, b.id) ${comparison} (select ${sortKey(query.sort, 'c')}, c.id from backorder_lines c
          where c.store_hash = ${scope.storeHash} and c.id = ${page.cursor})`;
  const { rows } = await sql<ReportRow>`
    with page as (
      select b.*, ${key} as sort_key, (b.order_created_at at time zone ${zone})::date as order_day from backorder_lines b
      where ${lineFilter(scope, query.filters)} and ${after}
      order by ${key} ${order}, b.id ${order}
      limit ${page.limit}
    ), today as (
      select (now() at time zone ${zone})::date as day
    ), products as (
      -- Category names once per product of the page, not once per line; a join grouped by product, which
      -- costs PostgreSQL about a third less than a subquery per product (an export reads every batch).
      select cp.product_id, coalesce(min(cb.name), '') as brand, coalesce(string_agg(c.name, ', ' order by c.name), '') as categories
      from catalog_products cp
      left join catalog_brands cb on cb.store_hash = cp.store_hash and cb.brand_id = cp.brand_id
      left join catalog_categories c on c.store_hash = cp.store_hash and c.category_id = any(cp.category_ids)
      where cp.store_hash = ${scope.storeHash} and cp.product_id in (select distinct product_id from page)
      group by cp.product_id
    )
    select b.id, b.order_id as "orderId",
           b.order_day::text as "orderDate",
           b.product_name as "productName", coalesce(cv.option_labels, '') as options, b.sku,
           coalesce(p.categories, '') as categories, coalesce(p.brand, '') as brand,
           b.ordered_qty as "orderedQty", b.from_stock_qty as "fromStockQty", b.backordered_qty as "backorderedQty",
           ${WAITING('b')} as "waitingQty", ${OVER_LIMIT_QTY('b')} as "overCapQty", b.status, b.eta::text as eta,
           today.day - b.order_day as "ageDays"
    from page b
    cross join today
    left join products p on p.product_id = b.product_id
    left join catalog_variants cv on cv.store_hash = b.store_hash and cv.variant_id = b.variant_id
    order by b.sort_key ${order}, b.id ${order}`.execute(db);
  return rows;
}
