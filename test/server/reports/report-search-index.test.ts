/**
 * The report's search by name or SKU reads its trigram indexes and, in full, their lists of entries not yet
 * merged: those lists stay short however many lines orders add.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/database.ts';

const database = useTestDatabase();

/** Pages of not-yet-merged entries a search of the index reads through. */
async function pendingPages(index: string): Promise<number> {
  const { rows } = await sql<{ pages: number }>`
    select n_pending_pages as pages from gin_metapage_info(get_raw_page(${index}, 0))`.execute(database.db);
  return Number(rows[0]!.pages);
}

describe('the report search indexes', () => {
  it('when thousands of lines are added one order at a time, then a search reads at most 16 pages of unmerged entries', async () => {
    const db = database.db;
    await sql`create extension if not exists pageinspect`.execute(db);
    await sql`insert into stores (store_hash, access_token_ciphertext, timezone) values ('search1', null, 'UTC')`.execute(db);
    await sql`
      insert into assignments (store_hash, product_id, tracked_by, saved_inventory_tracking, saved_availability)
      values ('search1', 1, 'product', 'product', 'available')`.execute(db);
    await sql`
      insert into inventory_items (store_hash, assignment_id, product_id, sku, starting_stock, current_stock)
      select store_hash, id, product_id, 'SKU-1', 0, 0 from assignments where store_hash = 'search1'`.execute(db);
    // 3,000 lines in 100 orders: some 150 pages of entries under PostgreSQL's default 4 MB list.
    for (let order = 0; order < 100; order++) {
      await sql`
        insert into backorder_lines (store_hash, item_id, order_id, order_product_id, product_id, sku, product_name, ordered_qty, order_created_at)
        select 'search1', i.id, ${order}, g, 1, 'SKU-' || (${order} * 30 + g), 'Copper Kettle ' || (${order} * 30 + g), 1, now()
        from inventory_items i, generate_series(1, 30) g where i.store_hash = 'search1'`.execute(db);
    }
    expect(await pendingPages('backorder_lines_name_trgm')).toBeLessThanOrEqual(16);
    expect(await pendingPages('backorder_lines_sku_trgm')).toBeLessThanOrEqual(16);
  });
});
