/**
 * The All Products list: the store's mirrored products with whether each is assigned to BackOrder and,
 * when it is, the app's own current stock. Search matches the name, the product SKU or any variant SKU
 * anywhere in the text (trigram indexes); rows come in name order, a keyset page at a time (compared on
 * lower(name) and product id), and the count stops at COUNT_CAP. The page and the count come from one
 * statement: a search's matches are looked up once, then counted and sorted; a list without one is read
 * from the name indexes.
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
  /** When assigned: units owed to shoppers over its items (below zero, less any shortfall no order explains). */
  appBackordered: number | null;
  /** When assigned: units below zero that no order explains (unexplained shortfall), over its items. */
  appShort: number | null;
  /** When assigned: how many items (variants, or the product) the app holds. */
  appItems: number | null;
}

/** `%text%` for ILIKE, with the user's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The filters other than the search, as a condition on the product `p`. */
function filtered(query: Pick<ProductListQuery, 'storeHash' | 'filters'>): RawBuilder<SqlBool> {
  const { visibility, availability, assigned } = query.filters ?? {};
  const conditions = [
    visibility ? sql<SqlBool>`p.is_visible = ${visibility === 'visible'}` : undefined,
    availability ? sql<SqlBool>`p.availability = ${availability}` : undefined,
    // The assigned products are a plan's limit at most (10,000): gathered into an array, so that PostgreSQL
    // fetches them by key rather than reading every product of the store to test each against them.
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

/**
 * The matching products as (product_id, sort_name) rows, and whether they are looked up by key (a search,
 * the assigned products) and so gathered once for both the page and the count (`gathered`), rather than
 * read in order from the name indexes. A search is two trigram-indexed lookups: name or product SKU, then
 * variant SKU for the products the first did not match, so that no product comes twice and nothing has to
 * remove doubles. One OR across the variants too would make PostgreSQL scan every product of the store.
 */
function matching(query: Pick<ProductListQuery, 'storeHash' | 'search' | 'filters'>): { rows: RawBuilder<unknown>; gathered: boolean } {
  const search = query.search?.trim();
  const filters = filtered(query);
  if (!search) {
    return {
      rows: sql`select p.product_id, lower(p.name) as sort_name from catalog_products p where p.store_hash = ${query.storeHash} and ${filters}`,
      gathered: query.filters?.assigned === 'yes',
    };
  }
  const pattern = containsPattern(search);
  const byNameOrSku = sql<SqlBool>`(p.name ilike ${pattern} or p.sku ilike ${pattern})`;
  return {
    rows: sql`select p.product_id, lower(p.name) as sort_name from catalog_products p
        where p.store_hash = ${query.storeHash} and ${byNameOrSku} and ${filters}
      union all
      select p.product_id, lower(p.name) from catalog_products p
        where p.store_hash = ${query.storeHash} and not ${byNameOrSku} and ${filters}
          and p.product_id = any(array(select v.product_id from catalog_variants v where v.store_hash = ${query.storeHash} and v.sku ilike ${pattern}))`,
    gathered: true,
  };
}

/**
 * One page of products, the number of products matching up to COUNT_CAP, and whether there are more: one
 * statement, so that a search's matches are looked up once for both.
 */
export async function listProducts(db: Db, query: ProductListQuery): Promise<{ page: KeysetPage<ProductListRow>; total: number; totalCapped: boolean }> {
  let total = 0;
  const page = await keysetPage(query.at, query.limit, async (walk) => {
    const counted = await selectProducts(db, query, walk);
    total = counted.total;
    return counted.rows;
  });
  return { page, total: Math.min(total, COUNT_CAP), totalCapped: total > COUNT_CAP };
}

/** A row of the outer join: all null when the page is empty. */
type Nullable<T> = { [K in keyof T]: T[K] | null };

/**
 * `walk.limit` products from the cursor product (exclusive), in name order or against it, and the number
 * of matching products up to COUNT_CAP + 1. Gathered matches are materialized once and sorted; otherwise
 * PostgreSQL reads the page's ids from a name index and counts along another.
 */
async function selectProducts(db: Db, query: ProductListQuery, walk: KeysetWalk): Promise<{ rows: ProductListRow[]; total: number }> {
  const { rows: matches, gathered } = matching(query);
  const order = sql.raw(walk.backward ? 'desc' : 'asc');
  const after =
    walk.cursor === null
      ? sql`true`
      : sql`(m.sort_name, m.product_id) ${sql.raw(walk.backward ? '<' : '>')} (select lower(c.name), c.product_id from catalog_products c
          where c.store_hash = ${query.storeHash} and c.product_id = ${walk.cursor})`;
  // Assignments and stock are looked up for the page's rows only. The count's one row comes even when the page is empty.
  const { rows } = await sql<Nullable<ProductListRow> & { total: string }>`
    with matched as ${sql.raw(gathered ? 'materialized' : 'not materialized')} (${matches}),
    page as (
      select m.product_id, m.sort_name from matched m where ${after}
      order by m.sort_name ${order}, m.product_id ${order}
      limit ${walk.limit}
    ),
    counted as (select count(*) as total from (select 1 from matched limit ${COUNT_CAP + 1}) capped)
    select counted.total, p.product_id as "productId", p.name, p.sku, p.is_visible as "isVisible", p.availability,
           p.inventory_tracking as "inventoryTracking", p.inventory_level as "inventoryLevel",
           p.variants_inventory_level as "variantsInventoryLevel", p.variant_count as "variantCount",
           a.id is not null as assigned, a.state,
           held.stock as "appStock", held.backordered as "appBackordered", held.short as "appShort", held.items as "appItems"
    from counted
    left join (page
      join catalog_products p on p.store_hash = ${query.storeHash} and p.product_id = page.product_id
      left join assignments a on a.store_hash = p.store_hash and a.product_id = p.product_id and a.released_at is null
      left join lateral (
        select sum(i.current_stock) as stock, sum(greatest(0, -i.current_stock) - i.unexplained_shortfall) as backordered,
          sum(i.unexplained_shortfall) as short, count(*) as items
        from inventory_items i where i.store_hash = a.store_hash and i.assignment_id = a.id and i.retired_at is null
      ) held on a.id is not null) on true
    order by page.sort_name ${order}, page.product_id ${order}`.execute(db);
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows
      .filter((row): row is ProductListRow & { total: string } => row.productId !== null)
      .map(({ total: _, ...row }) => ({
        ...row,
        appStock: row.appStock === null ? null : Number(row.appStock),
        appBackordered: row.appBackordered === null ? null : Number(row.appBackordered),
        appShort: row.appShort === null ? null : Number(row.appShort),
        appItems: row.appItems === null ? null : Number(row.appItems),
      })),
  };
}
