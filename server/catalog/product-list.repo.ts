/**
 * The All Products list: the store's mirrored products with whether each is assigned to BackOrder and,
 * when it is, the app's own current stock. Search matches the name, the product SKU or any variant SKU
 * anywhere in the text (trigram indexes); rows come in name order, a keyset page at a time (compared on
 * lower(name) and product id, read from the name indexes), and the count stops at COUNT_CAP.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { keysetPage, type KeysetPage, type KeysetWalk, type PageAt } from '../admin/paging.ts';
import type { Db } from '../db/database.ts';
import type { Availability, TrackingMode } from '../db/schema.ts';

export interface ProductListQuery {
  storeHash: string;
  /** Matched anywhere in name or SKU, case-insensitively. */
  search?: string;
  filters?: ProductFilters;
  limit: number;
  at: PageAt;
}

/** Products counted at most: past it the list says "10,000+", and counting costs what one page does. */
export const COUNT_CAP = 10_000;

/** The All Products filters; absent: any. */
export interface ProductFilters {
  visibility?: 'visible' | 'hidden';
  availability?: Availability;
  assigned?: 'yes' | 'no';
}

export interface ProductListRow {
  productId: number;
  name: string;
  sku: string;
  isVisible: boolean;
  availability: Availability;
  inventoryTracking: TrackingMode;
  inventoryLevel: number;
  variantsInventoryLevel: number;
  variantCount: number;
  assigned: boolean;
  /** The assignment's state with BigCommerce, when assigned. */
  state: 'assigning' | 'active' | 'unassigning' | null;
  /** Sum of the active items' current stock when assigned (may be negative); null otherwise. */
  appStock: number | null;
}

/** `%text%` for ILIKE, with the user's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The products matching the search, as a union of three trigram-indexed lookups (name, product SKU,
 * variant SKU): one OR across them would make PostgreSQL scan every product of the store. The matches are
 * gathered into one array first, so that PostgreSQL fetches them by key and sorts them, rather than reading
 * every product of the store to test each against them.
 */
function matching(query: Pick<ProductListQuery, 'storeHash' | 'search' | 'filters'>): RawBuilder<SqlBool> {
  const search = query.search?.trim();
  const pattern = search ? containsPattern(search) : '';
  const { visibility, availability, assigned } = query.filters ?? {};
  const conditions = [
    search
      ? sql<SqlBool>`p.product_id = any(array(
          select product_id from catalog_products where store_hash = ${query.storeHash} and name ilike ${pattern}
          union select product_id from catalog_products where store_hash = ${query.storeHash} and sku ilike ${pattern}
          union select product_id from catalog_variants where store_hash = ${query.storeHash} and sku ilike ${pattern}))`
      : undefined,
    visibility ? sql<SqlBool>`p.is_visible = ${visibility === 'visible'}` : undefined,
    availability ? sql<SqlBool>`p.availability = ${availability}` : undefined,
    // The assigned products are a plan's limit at most (10,000): fetched by key like a search's matches.
    assigned === 'yes'
      ? sql<SqlBool>`p.product_id = any(array(select a.product_id from assignments a where a.store_hash = ${query.storeHash} and a.released_at is null))`
      : undefined,
    assigned === 'no'
      ? sql<SqlBool>`not exists (select 1 from assignments a
          where a.store_hash = p.store_hash and a.product_id = p.product_id and a.released_at is null)`
      : undefined,
  ].filter((c) => c !== undefined);
  return conditions.length === 0 ? sql<SqlBool>`true` : sql.join(conditions, sql` and `);
}

/** One page of products, the number of products matching up to COUNT_CAP, and whether there are more. */
export async function listProducts(db: Db, query: ProductListQuery): Promise<{ page: KeysetPage<ProductListRow>; total: number; totalCapped: boolean }> {
  const where = matching(query);
  const [page, count] = await Promise.all([
    keysetPage(query.at, query.limit, (walk) => selectProducts(db, query.storeHash, where, walk)),
    sql<{ total: number }>`
      select count(*) as total from (
        select 1 from catalog_products p where p.store_hash = ${query.storeHash} and ${where} limit ${COUNT_CAP + 1}
      ) matched`.execute(db),
  ]);
  const total = Number(count.rows[0]?.total ?? 0);
  return { page, total: Math.min(total, COUNT_CAP), totalCapped: total > COUNT_CAP };
}

/** `walk.limit` products from the cursor product (exclusive), in name order or against it. */
async function selectProducts(db: Db, storeHash: string, where: RawBuilder<SqlBool>, walk: KeysetWalk): Promise<ProductListRow[]> {
  const order = sql.raw(walk.backward ? 'desc' : 'asc');
  const after =
    walk.cursor === null
      ? sql`true`
      : sql`(lower(p.name), p.product_id) ${sql.raw(walk.backward ? '<' : '>')} (select lower(c.name), c.product_id from catalog_products c
          where c.store_hash = ${storeHash} and c.product_id = ${walk.cursor})`;
  // The page's ids come from the name index alone; assignments and stock are looked up for those rows only.
  const { rows } = await sql<ProductListRow>`
    with page as (
      select p.product_id, lower(p.name) as sort_name from catalog_products p
      where p.store_hash = ${storeHash} and ${where} and ${after}
      order by lower(p.name) ${order}, p.product_id ${order}
      limit ${walk.limit}
    )
    select p.product_id as "productId", p.name, p.sku, p.is_visible as "isVisible", p.availability,
           p.inventory_tracking as "inventoryTracking", p.inventory_level as "inventoryLevel",
           p.variants_inventory_level as "variantsInventoryLevel", p.variant_count as "variantCount",
           a.id is not null as assigned, a.state,
           (select sum(i.current_stock) from inventory_items i
             where i.store_hash = a.store_hash and i.assignment_id = a.id and i.retired_at is null) as "appStock"
    from page
    join catalog_products p on p.store_hash = ${storeHash} and p.product_id = page.product_id
    left join assignments a on a.store_hash = p.store_hash and a.product_id = p.product_id and a.released_at is null
    order by page.sort_name ${order}, page.product_id ${order}`.execute(db);
  return rows.map((row) => ({ ...row, appStock: row.appStock === null ? null : Number(row.appStock) }));
}
