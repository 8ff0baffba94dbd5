/**
 * Rows of `import_rows`: an import's rows as they are read and matched, batch by batch, and what SQL finds
 * among them — duplicates, rows whose item is not assigned — so that no step holds the whole file's rows.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ItemValues } from '../inventory/item-values.ts';

/** A row read and matched to its product (and variant). */
export interface StagedRow {
  line: number;
  productId: number;
  variantId: number | null;
  values: ItemValues;
}

/**
 * Keeps a batch of matched rows, one statement. `toItems` (to update): each row is matched to the store's
 * assigned item it names as it goes in — its variant's, or the product's one item when the product is
 * tracked as a whole.
 */
export async function stageRows(db: Db, storeHash: string, importId: number, rows: readonly StagedRow[], toItems = false): Promise<void> {
  if (rows.length === 0) return;
  const item = toItems
    ? sql`(select i.id from inventory_items i
           where i.store_hash = ${storeHash} and i.retired_at is null and i.product_id = t.product_id
             and (i.variant_id is not distinct from t.variant_id
                  or (i.variant_id is null and not exists (select from inventory_items o
                        where o.store_hash = ${storeHash} and o.retired_at is null and o.product_id = t.product_id and o.id <> i.id)))
           limit 1)`
    : sql`null::bigint`;
  await sql`
    insert into import_rows (store_hash, import_id, line, product_id, variant_id, item_id, item_values)
    select ${storeHash}, ${importId}, t.line, t.product_id, t.variant_id, ${item}, t.item_values
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ line: r.line, product_id: r.productId, variant_id: r.variantId, item_values: r.values })))}::jsonb)
      as t(line int, product_id int, variant_id int, item_values jsonb)`.execute(db);
}

/** Drops the import's rows (before a run, and once it ended). */
export async function clearRows(db: Db, storeHash: string, importId: number): Promise<void> {
  await db.deleteFrom('import_rows').where('store_hash', '=', storeHash).where('import_id', '=', importId).execute();
}

/**
 * Takes out every row naming the same product (or variant) as an earlier row; returns each with the line
 * of the first row naming it.
 */
export async function takeDuplicates(db: Db, storeHash: string, importId: number): Promise<Array<{ line: number; earlier: number; variantId: number | null }>> {
  const { rows } = await sql<{ line: number; earlier: number; variantId: number | null }>`
    delete from import_rows r
    where r.store_hash = ${storeHash} and r.import_id = ${importId}
      and exists (select from import_rows e
                  where e.import_id = r.import_id and e.product_id = r.product_id and e.variant_id is not distinct from r.variant_id and e.line < r.line)
    returning r.line, r.variant_id as "variantId",
      (select min(e.line) from import_rows e
       where e.import_id = r.import_id and e.product_id = r.product_id and e.variant_id is not distinct from r.variant_id) as earlier`.execute(db);
  return rows.sort((a, b) => a.line - b.line);
}

/** Refreshes the planner's statistics of `import_rows` once a file's rows are in (or it would guess them: the table fills and empties at once). */
export async function analyzeRows(db: Db): Promise<void> {
  await sql`analyze import_rows`.execute(db);
}

/** To update: the rows no assigned item was matched to, with whether their product has assigned items at all (then it is tracked by variant). */
export async function unmatchedRows(db: Db, storeHash: string, importId: number): Promise<Array<{ line: number; assigned: boolean }>> {
  const { rows } = await sql<{ line: number; assigned: boolean }>`
    select r.line, exists (select from inventory_items i
                           where i.store_hash = ${storeHash} and i.product_id = r.product_id and i.retired_at is null) as assigned
    from import_rows r
    where r.store_hash = ${storeHash} and r.import_id = ${importId} and r.item_id is null
    order by r.line`.execute(db);
  return rows;
}

/**
 * To update: the matched rows in batches of the rows of `size` items, in item id order (the order their
 * items are locked in); the rows of one item (a product's SKU and its one variant's) come in one batch, in
 * line order.
 */
export async function* matchedBatches(
  db: Db,
  storeHash: string,
  importId: number,
  size: number,
): AsyncGenerator<Array<{ line: number; itemId: number; values: ItemValues }>> {
  for (let after = 0; ;) {
    const { rows } = await sql<{ line: number; itemId: string; values: ItemValues }>`
      select line, item_id as "itemId", item_values as values from import_rows
      where store_hash = ${storeHash} and import_id = ${importId}
        and item_id in (select distinct item_id from import_rows
                        where store_hash = ${storeHash} and import_id = ${importId} and item_id > ${after}
                        order by item_id limit ${size})
      order by item_id, line`.execute(db);
    if (rows.length === 0) return;
    yield rows.map((r) => ({ line: r.line, itemId: Number(r.itemId), values: r.values }));
    after = Number(rows.at(-1)!.itemId);
  }
}

/** To assign: every row, the rows of one product together, products in the order the file first names them. */
export async function stagedRows(db: Db, storeHash: string, importId: number): Promise<StagedRow[]> {
  const { rows } = await sql<StagedRow>`
    select line, product_id as "productId", variant_id as "variantId", item_values as values
    from import_rows where store_hash = ${storeHash} and import_id = ${importId}
    order by min(line) over (partition by product_id), line`.execute(db);
  return rows;
}
