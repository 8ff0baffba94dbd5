/**
 * import.100k.seconds: "import to update" of a 100,000-row CSV file (every value column, rows named by SKU)
 * against 100,000 assigned products, run in a process of its own (import-run.ts) as production's worker runs
 * it: in a store-jobs process, bundled by esbuild (scripts/lib/server-build.mjs), with the store jobs' V8
 * settings (STORE_JOB_NODE_FLAGS, server/workers/store-jobs.worker.ts).
 * import.100k.peak_mb: that process's whole peak resident memory (MB) — Node, the import's modules, a
 * connection and the import; import.100k.added_mb: what the import adds to it (peak − the resident set once
 * connected, before the import starts). The bench process itself, which built the file and seeded the rows,
 * is not measured. The worker that starts store-jobs processes holds its own: process.worker.rss_mb
 * (processes.bench.ts).
 * import.assign.10k.seconds: "import to assign" of 10,000 products (the Scale plan's limit) in one file.
 */
import { sql } from 'kysely';
import type { Database } from '../server/db/database.ts';
import { applyImport } from '../server/imports/imports.service.ts';
import { insertImport, findImport } from '../server/imports/imports.repo.ts';
import { VALUE_COLUMNS } from '../server/imports/csv-format.ts';
import { STORE_JOB_NODE_FLAGS } from '../server/workers/store-jobs.worker.ts';
import { quietJobDeps } from './job-deps.ts';
import { openFreshDatabase, runBundled } from './helpers.ts';
import { round, type Benchmark } from './lib.ts';

const ROWS = 100_000;
const TO_ASSIGN = 10_000;
const STORE = 'bench1';
/** A store of its own, under the Scale plan's limit. */
const ASSIGN_STORE = 'bench2';

async function seed(database: Database): Promise<void> {
  for (const store of [STORE, ASSIGN_STORE]) {
    await database.db.insertInto('stores').values({ store_hash: store, access_token_ciphertext: null }).execute();
    await database.db.insertInto('store_plans').values({ store_hash: store, plan_id: 'scale' }).execute();
  }
  await sql`
    insert into catalog_products (store_hash, product_id, name, sku, is_visible, availability, inventory_tracking, inventory_level)
    select ${STORE}, g, 'Product ' || g, 'SKU-' || g, true, 'available', 'product', g % 40 from generate_series(1, ${ROWS}) g
    union all
    select ${ASSIGN_STORE}, g, 'Product ' || g, 'SKU-' || g, true, 'available', 'product', g % 40 from generate_series(1, ${TO_ASSIGN}) g`.execute(database.db);
  await sql`
    insert into assignments (store_hash, product_id, tracked_by, saved_inventory_tracking, saved_availability)
    select ${STORE}, g, 'product', 'product', 'available' from generate_series(1, ${ROWS}) g`.execute(database.db);
  await sql`
    insert into inventory_items (store_hash, assignment_id, product_id, sku, starting_stock, current_stock, backorder_threshold, bigcommerce_level)
    select a.store_hash, a.id, a.product_id, 'SKU-' || a.product_id, 5, 5, 0, 5 from assignments a where a.store_hash = ${STORE}`.execute(database.db);
  await sql`analyze`.execute(database.db);
}

function updateCsv(): Buffer {
  const lines = ['sku,current_stock,backorder_threshold,incoming_stock,back_in_stock_date'];
  for (let i = 1; i <= ROWS; i++)
    // A date only beside incoming stock: the date is when it arrives, and one without is refused.
    lines.push(
      `SKU-${i},${(i * 7) % 50},${i % 3 === 0 ? 'unlimited' : i % 10},${i % 5},${i % 5 === 0 ? '' : `2099-01-${String((i % 28) + 1).padStart(2, '0')}`}`,
    );
  return Buffer.from(lines.join('\n'));
}

function assignCsv(): Buffer {
  const lines = ['sku,current_stock,backorder_threshold'];
  for (let i = 1; i <= TO_ASSIGN; i++) lines.push(`SKU-${i},${i % 9},${i % 4}`);
  return Buffer.from(lines.join('\n'));
}

interface RunFigures {
  rows: number;
  seconds: number;
  beforeMb: number;
  peakMb: number;
}

const benchmark: Benchmark = {
  name: 'import',
  timeoutMs: 10 * 60_000,
  async run({ figure, services }) {
    const { database, databaseUrl } = await openFreshDatabase((await services()).databaseUrl);
    try {
      await seed(database);
      const deps = quietJobDeps(database.db);

      const updateId = await insertImport(database.db, {
        storeHash: STORE,
        mode: 'update',
        columns: [...VALUE_COLUMNS],
        filename: 'update.csv',
        content: updateCsv(),
      });
      const run = await runBundled<RunFigures>('bench/import-run.ts', [databaseUrl, STORE, String(updateId)], STORE_JOB_NODE_FLAGS);
      if (run.rows !== ROWS) throw new Error(`the import reported ${run.rows} of ${ROWS} rows`);
      const check = await sql<{
        n: string;
      }>`select count(*) as n from inventory_items where store_hash = ${STORE} and current_stock = (product_id * 7) % 50`.execute(database.db);
      if (Number(check.rows[0]!.n) !== ROWS) throw new Error(`the import applied ${check.rows[0]!.n} of ${ROWS} rows`);
      figure('import.100k.seconds', round(run.seconds, 1));
      figure('import.100k.peak_mb', Math.round(run.peakMb));
      figure('import.100k.added_mb', Math.round(run.peakMb - run.beforeMb));

      const assignId = await insertImport(database.db, {
        storeHash: ASSIGN_STORE,
        mode: 'assign',
        columns: [...VALUE_COLUMNS],
        filename: 'assign.csv',
        content: assignCsv(),
      });
      const assign = await findImport(database.db, ASSIGN_STORE, assignId);
      const started = performance.now();
      await applyImport(deps, assign!);
      figure('import.assign.10k.seconds', round((performance.now() - started) / 1000, 1));
    } finally {
      await database.close();
    }
  },
};

export default benchmark;
