/** Rows of the catalog mirror: catalog_products, catalog_variants, catalog_categories, catalog_brands. */
import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import { unnestRows } from '../db/unnest.ts';
import type { CatalogBrandsTable, CatalogCategoriesTable, CatalogProductsTable, CatalogVariantsTable } from '../db/schema.ts';

export type ProductRow = Insertable<CatalogProductsTable>;
export type VariantRow = Insertable<CatalogVariantsTable>;
export type CategoryRow = Insertable<CatalogCategoriesTable>;
export type BrandRow = Insertable<CatalogBrandsTable>;

/** Rows per insert statement, well under PostgreSQL's 65,535 parameters. */
const CHUNK = 1_000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Inserts or refreshes products (one page of a sync). */
export async function upsertProducts(trx: Db, rows: readonly ProductRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await trx
      .insertInto('catalog_products')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['store_hash', 'product_id']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          sku: eb.ref('excluded.sku'),
          is_visible: eb.ref('excluded.is_visible'),
          availability: eb.ref('excluded.availability'),
          inventory_tracking: eb.ref('excluded.inventory_tracking'),
          inventory_level: eb.ref('excluded.inventory_level'),
          variants_inventory_level: eb.ref('excluded.variants_inventory_level'),
          variant_count: eb.ref('excluded.variant_count'),
          category_ids: eb.ref('excluded.category_ids'),
          brand_id: eb.ref('excluded.brand_id'),
          date_modified: eb.ref('excluded.date_modified'),
          sync_job_id: eb.ref('excluded.sync_job_id'),
          synced_at: sql`now()`,
        })),
      )
      .execute();
  }
}

/** Makes the variants of `productIds` exactly `rows`: variants no longer listed are deleted. */
export async function replaceVariants(trx: Db, storeHash: string, productIds: readonly number[], rows: readonly VariantRow[]): Promise<void> {
  if (productIds.length === 0) return;
  const keep = rows.map((row) => row.variant_id);
  await trx
    .deleteFrom('catalog_variants')
    .where('store_hash', '=', storeHash)
    .where('product_id', 'in', productIds)
    .$if(keep.length > 0, (qb) => qb.where('variant_id', 'not in', keep))
    .execute();
  for (const part of chunks(rows)) {
    await trx
      .insertInto('catalog_variants')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['store_hash', 'variant_id']).doUpdateSet((eb) => ({
          product_id: eb.ref('excluded.product_id'),
          sku: eb.ref('excluded.sku'),
          option_labels: eb.ref('excluded.option_labels'),
          option_pairs: eb.ref('excluded.option_pairs'),
          inventory_level: eb.ref('excluded.inventory_level'),
          purchasing_disabled: eb.ref('excluded.purchasing_disabled'),
        })),
      )
      .execute();
  }
}

/** When a level read begins, on the database's clock (the app's purchasing holds are timed by it): `refreshPurchasing`'s `readFrom`. */
export async function purchasingReadStart(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  return new Date(rows[0]!.now);
}

/**
 * Mirrors the purchasing_disabled of variants a level read found (a read begun at `readFrom`, the database's
 * clock). A variant the app itself stopped or resumed since the read began, or is about to (a hold recorded,
 * not yet applied), keeps the mirror's value: the read may predate that write, and the write mirrored itself.
 * Returns the variants whose value changed.
 */
export async function refreshPurchasing(
  db: Db,
  storeHash: string,
  variants: ReadonlyArray<{ variantId: number; disabled: boolean }>,
  readFrom: Date,
): Promise<number[]> {
  if (variants.length === 0) return [];
  const read = unnestRows(variants, { variant_id: ['int', (v) => v.variantId], disabled: ['boolean', (v) => v.disabled] });
  const { rows } = await sql<{ variant_id: number }>`
    update catalog_variants v set purchasing_disabled = t.disabled
    from ${read}
    where v.store_hash = ${storeHash} and v.variant_id = t.variant_id and v.purchasing_disabled <> t.disabled
      and not exists (select 1 from purchasing_holds h
        where h.store_hash = v.store_hash and h.variant_id = v.variant_id and h.disabled_by_app
          and (h.applied_at is null and h.lifted_at is null or h.applied_at >= ${readFrom} or h.lifted_at >= ${readFrom}))
    returning v.variant_id`.execute(db);
  return rows.map((row) => row.variant_id);
}

/** What the sync run has saved so far: its products, their variants, and the last product id (pages come in id order). */
export async function savedBySync(
  db: Db,
  storeHash: string,
  syncJobId: number,
): Promise<{ products: number; variants: number; lastProductId: number | undefined }> {
  const row = await db
    .selectFrom('catalog_products')
    .select((eb) => [eb.fn.countAll<string>().as('products'), eb.fn.sum<string | null>('variant_count').as('variants'), eb.fn.max('product_id').as('last')])
    .where('store_hash', '=', storeHash)
    .where('sync_job_id', '=', syncJobId)
    .executeTakeFirstOrThrow();
  return { products: Number(row.products), variants: Number(row.variants ?? 0), lastProductId: row.last === null ? undefined : Number(row.last) };
}

/** Deletes the products a completed sync run did not see (their variants follow by cascade). */
export async function deleteUnseenProducts(db: Db, storeHash: string, syncJobId: number): Promise<number> {
  const result = await db
    .deleteFrom('catalog_products')
    .where('store_hash', '=', storeHash)
    .where((eb) => eb.or([eb('sync_job_id', 'is', null), eb('sync_job_id', '<>', syncJobId)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function upsertCategories(db: Db, rows: readonly CategoryRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db
      .insertInto('catalog_categories')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['store_hash', 'category_id']).doUpdateSet((eb) => ({
          parent_id: eb.ref('excluded.parent_id'),
          name: eb.ref('excluded.name'),
          is_visible: eb.ref('excluded.is_visible'),
          sync_job_id: eb.ref('excluded.sync_job_id'),
        })),
      )
      .execute();
  }
}

export async function upsertBrands(db: Db, rows: readonly BrandRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db
      .insertInto('catalog_brands')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['store_hash', 'brand_id']).doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), sync_job_id: eb.ref('excluded.sync_job_id') })),
      )
      .execute();
  }
}

/** Deletes the categories and brands a completed sync run did not see. */
export async function deleteUnseenTaxonomy(db: Db, storeHash: string, syncJobId: number): Promise<void> {
  for (const table of ['catalog_categories', 'catalog_brands'] as const) {
    await db
      .deleteFrom(table)
      .where('store_hash', '=', storeHash)
      .where((eb) => eb.or([eb('sync_job_id', 'is', null), eb('sync_job_id', '<>', syncJobId)]))
      .execute();
  }
}

/**
 * Merges the pending lists of All Products' search indexes: the entries a GIN index gathers unmerged (up
 * to 4 MB), which every search reads through in full — some 400 pages an index after a sync of 100,000
 * products, most of a search's cost until autovacuum comes by. Only the indexes the app's role may maintain
 * (it owns them when it ran the migrations) are merged; the others are left to autovacuum.
 */
export async function mergeSearchIndexes(db: Db): Promise<void> {
  await sql`select gin_clean_pending_list(c.oid) from pg_class c
    where c.oid in ('catalog_products_name_trgm'::regclass, 'catalog_products_sku_trgm'::regclass, 'catalog_variants_sku_trgm'::regclass)
      and pg_has_role(c.relowner, 'usage')`.execute(db);
}
