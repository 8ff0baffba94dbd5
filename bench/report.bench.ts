/**
 * The backorder report at 1,000,000 lines over 100 stores (10,000 each, on 500 products in 20 categories
 * and 10 brands, a year of orders in New York time):
 * - report.1m.p95_ms / p50_ms: one report page as the route builds it (filter lists, summary, the page of
 *   50 lines), filtered, searched and sorted at random, at any depth (the first page, after a random line,
 *   the last), in a random store;
 * - report.export.rows_per_s / peak_mb: every store's full report written as CSV (1,000,000 rows) through
 *   the export's keyset batches into a sink that reads at once, in a process of its own, bundled as
 *   production's worker is (report-export-run.ts), the resident memory the export adds to that process once
 *   it is connected, and the process's whole peak (report.export.process_peak_mb).
 */
import { sql } from 'kysely';
import type { Database } from '../server/db/database.ts';
import { filterChoices } from '../server/reports/report-choices.repo.ts';
import { readReportQuery } from '../server/reports/report-query.ts';
import { reportSummary } from '../server/reports/report-summary.repo.ts';
import { reportPage, type ReportScope } from '../server/reports/report.repo.ts';
import type { PageAt } from '../server/admin/paging.ts';
import { openFreshDatabase, runBundled } from './helpers.ts';
import { percentile, round, type Benchmark } from './lib.ts';

const STORES = 100;
const LINES_PER_STORE = 10_000;
const PRODUCTS = 500;
const PAGES = 400;
const TIMEZONE = 'America/New_York';
const WORDS = ['Kettle', 'Rake', 'Hose', 'Lamp', 'Chair', 'Table', 'Mug', 'Vase', 'Towel', 'Shirt', 'Planter', 'Trowel', 'Candle', 'Blanket', 'Teapot'];

const storeHash = (n: number) => `rb${String(n).padStart(3, '0')}`;

/** Seeds 100 stores of 10,000 lines each. */
export async function seed(database: Database): Promise<void> {
  const db = database.db;
  const stores = Array.from({ length: STORES }, (_, n) => storeHash(n));
  await db
    .insertInto('stores')
    .values(stores.map((hash) => ({ store_hash: hash, access_token_ciphertext: null, timezone: TIMEZONE })))
    .execute();
  const words = sql`array[${sql.join(WORDS)}]::text[]`;
  await sql`
    insert into catalog_categories (store_hash, category_id, name)
    select s, c, 'Category ' || c from unnest(${stores}::text[]) s, generate_series(1, 20) c`.execute(db);
  await sql`
    insert into catalog_brands (store_hash, brand_id, name)
    select s, b, 'Brand ' || b from unnest(${stores}::text[]) s, generate_series(1, 10) b`.execute(db);
  await sql`
    insert into catalog_products (store_hash, product_id, name, sku, is_visible, availability, inventory_tracking, category_ids, brand_id)
    select s, p, (${words})[p % ${WORDS.length} + 1] || ' ' || p, 'SKU-' || p, true, 'available', 'none',
           array[p % 20 + 1, (p * 7) % 20 + 1], p % 10 + 1
    from unnest(${stores}::text[]) s, generate_series(1, ${PRODUCTS}) p`.execute(db);
  await sql`
    insert into assignments (store_hash, product_id, tracked_by, saved_inventory_tracking, saved_availability)
    select s, p, 'product', 'product', 'available' from unnest(${stores}::text[]) s, generate_series(1, ${PRODUCTS}) p`.execute(db);
  await sql`
    insert into inventory_items (store_hash, assignment_id, product_id, sku, starting_stock, current_stock, backorder_threshold, incoming_stock, back_in_stock_date)
    select a.store_hash, a.id, a.product_id, 'SKU-' || a.product_id, 0, -20, null, a.product_id % 7, current_date + (a.product_id % 90)
    from assignments a`.execute(db);
  // Store by store, so that each statement stays a size PostgreSQL sorts in memory.
  for (const hash of stores) {
    await sql`
      insert into backorder_lines (store_hash, item_id, order_id, order_product_id, product_id, sku, product_name, ordered_qty,
                                   from_stock_qty, backordered_qty, allocated_qty, over_cap_qty, status, eta, order_created_at)
      select ${hash}, i.id, 100000 + g, g, i.product_id, i.sku, (${words})[i.product_id % ${WORDS.length} + 1] || ' ' || i.product_id,
             g % 5 + 1, 0, g % 5 + 1,
             case when g % 10 < 6 then 0 else g % 5 + 1 end,
             case when g % 20 = 0 then 1 else 0 end,
             (array['waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'allocated', 'shipped', 'cancelled', 'archived'])[g % 10 + 1],
             case when g % 10 < 6 and g % 3 = 0 then current_date + (g % 60) end,
             now() - make_interval(mins => g * 50)
      from generate_series(1, ${LINES_PER_STORE}) g
      join inventory_items i on i.store_hash = ${hash} and i.product_id = g % ${PRODUCTS} + 1`.execute(db);
  }
  await sql`analyze`.execute(db);
}

/** A small deterministic generator, so that runs compare. */
function random(seedValue: number): () => number {
  let state = seedValue;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A report query a merchant might build: a search and a sort, and some of the filters. */
function someQuery(next: () => number): Record<string, string> {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const params: Record<string, string> = {
    q: pick([...WORDS.map((w) => w.toLowerCase()), 'sku-4', '12']),
    sort: pick(['date', 'age', 'eta', 'backordered', 'waiting']),
    dir: pick(['asc', 'desc']),
  };
  if (next() < 0.5) params.status = pick(['waiting', 'allocated', 'shipped', 'archived']);
  if (next() < 0.4) params.category = String(1 + Math.floor(next() * 20));
  if (next() < 0.3) params.brand = String(1 + Math.floor(next() * 10));
  if (next() < 0.3) {
    params.from = pick(['2026-01-01', '2026-04-15', '2026-07-01']);
    params.to = pick(['2026-09-30', '2026-12-31', '2027-12-31']);
  }
  if (next() < 0.1) params.show = 'over-limit';
  return params;
}

async function pageTimes(database: Database): Promise<number[]> {
  const next = random(20_261_203);
  const times: number[] = [];
  for (let i = 0; i < PAGES; i++) {
    const scope: ReportScope = { storeHash: storeHash(Math.floor(next() * STORES)), timezone: TIMEZONE };
    const { query, problems } = readReportQuery(someQuery(next));
    if (problems.length > 0) throw new Error(problems.join(' '));
    const depth = next();
    let at: PageAt = { first: true };
    if (depth > 0.66) at = { last: true };
    else if (depth > 0.33) {
      const { rows } = await sql<{ id: number }>`
        select id from backorder_lines where store_hash = ${scope.storeHash} order by id offset ${Math.floor(next() * LINES_PER_STORE)} limit 1`.execute(
        database.db,
      );
      at = { after: rows[0]!.id };
    }
    // As the route reads them: at once.
    const started = performance.now();
    await Promise.all([
      filterChoices(database.db, scope.storeHash),
      reportSummary(database.db, scope, query.filters),
      reportPage(database.db, scope, query, at, 50),
    ]);
    times.push(performance.now() - started);
  }
  return times;
}

const benchmark: Benchmark = {
  name: 'report',
  timeoutMs: 12 * 60_000,
  async run({ figure, services }) {
    const { database, databaseUrl } = await openFreshDatabase((await services()).databaseUrl);
    try {
      const seeding = performance.now();
      await seed(database);
      const { rows } = await sql<{ n: string }>`select count(*) as n from backorder_lines`.execute(database.db);
      if (Number(rows[0]!.n) !== STORES * LINES_PER_STORE) throw new Error(`seeded ${rows[0]!.n} lines, not ${STORES * LINES_PER_STORE}`);
      figure('report.1m.seed_s', round((performance.now() - seeding) / 1000, 1));

      // A first pass warms PostgreSQL's cache and the plans, as a running server's would be.
      await pageTimes(database);
      const times = await pageTimes(database);
      figure('report.1m.p50_ms', round(percentile(times, 50), 1));
      figure('report.1m.p95_ms', round(percentile(times, 95), 1));

      const exported = await runBundled<{ rows: number; seconds: number; beforeMb: number; peakMb: number }>('bench/report-export-run.ts', [
        databaseUrl,
        String(STORES),
        TIMEZONE,
      ]);
      if (exported.rows !== STORES * LINES_PER_STORE) throw new Error(`exported ${exported.rows} rows`);
      figure('report.export.rows_per_s', Math.round(exported.rows / exported.seconds));
      // The export's own memory: what it adds to its process once connected (Node and the export's
      // modules are there before the first row).
      figure('report.export.peak_mb', Math.round(exported.peakMb - exported.beforeMb));
      figure('report.export.process_peak_mb', Math.round(exported.peakMb));
    } finally {
      await database.close();
    }
  },
};

export default benchmark;
