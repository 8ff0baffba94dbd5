/**
 * A bulk change's statements look up the items of their chunk, whatever their place in the table: a chunk
 * near the end of a large store reads a few item rows per item, not every row before them (an import of
 * 100,000 rows is 20 chunks; read from the table's first row, each would cost more than the one before).
 * PostgreSQL's per-transaction counters (`pg_stat_xact_user_tables`) count the rows each statement read.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/database.ts';
import { setPlans } from '../../../server/inventory/inventory.repo.ts';
import { moveStock } from '../../../server/inventory/stock-moves.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'chunks1';
const ITEMS = 100_000;
const CHUNK = 2_000;
let lastChunk: number[];

beforeAll(async () => {
  await createStore(database.db, store);
  await sql`
    insert into assignments (store_hash, product_id, tracked_by, saved_inventory_tracking, saved_availability)
    select ${store}, g, 'product', 'product', 'available' from generate_series(1, ${ITEMS}) g`.execute(database.db);
  await sql`
    insert into inventory_items (store_hash, assignment_id, product_id, sku, starting_stock, current_stock, backorder_threshold, bigcommerce_level)
    select store_hash, id, product_id, 'SKU-' || product_id, 5, 5, 0, 5 from assignments where store_hash = ${store}`.execute(database.db);
  // As after any sync or import: the planner knows the table is large.
  await sql`analyze inventory_items`.execute(database.db);
  const { rows } = await sql<{ id: string }>`select id from inventory_items where store_hash = ${store} order by id desc limit ${CHUNK}`.execute(database.db);
  lastChunk = rows.map((r) => Number(r.id)).reverse();
}, 60_000);

/** The item rows `work` read in its transaction, by sequential scan or through an index. */
async function itemRowsRead(work: (trx: Db) => Promise<unknown>): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const counted = async () => {
      const { rows } = await sql<{ n: string }>`
        select coalesce(sum(coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)), 0) as n
        from pg_stat_xact_user_tables where relname = 'inventory_items'`.execute(trx);
      return Number(rows[0]!.n);
    };
    const before = await counted();
    await work(trx);
    return (await counted()) - before;
  });
}

describe('the statements of a bulk change, chunk by chunk', () => {
  it('when the plans of the store’s last 2,000 items of 100,000 are set, then about one item row per item is read', async () => {
    const read = await itemRowsRead((trx) =>
      setPlans(
        trx,
        store,
        lastChunk.map((itemId) => ({ itemId, plan: { backorderThreshold: 7, incomingStock: 3 } })),
      ),
    );
    expect(read).toBeGreaterThanOrEqual(CHUNK);
    expect(read).toBeLessThanOrEqual(CHUNK * 2);
  });

  it('when the stock of the store’s last 2,000 items of 100,000 moves, then a few item rows per item are read (the move, then the update)', async () => {
    const read = await itemRowsRead((trx) =>
      moveStock(
        trx,
        store,
        lastChunk.map((itemId, index) => ({ index, itemId, move: { to: 9 }, key: null, orderId: null, note: null })),
        { reason: 'import', key: 'chunk-reads', note: null },
      ),
    );
    expect(read).toBeGreaterThanOrEqual(CHUNK);
    expect(read).toBeLessThanOrEqual(CHUNK * 3);
  });
});
