/**
 * The All Products list: the store's mirrored products with whether each is assigned to BackOrder and,
 * when it is, the app's own current stock. Search matches the name, the product SKU or any variant SKU
 * anywhere in the text (trigram indexes); rows come in name order, a page at a time.
 */
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Availability, TrackingMode } from '../db/schema.ts';

export interface ProductListQuery {
  storeHash: string;
  /** Matched anywhere in name or SKU, case-insensitively. */
  search?: string;
  filters?: ProductFilters;
  limit: number;
  offset: number;
}

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
 * variant SKU): one OR across them would make PostgreSQL scan every product of the store.
 */
function matching(query: ProductListQuery) {
  const search = query.search?.trim();
  const pattern = search ? containsPattern(search) : '';
  const { visibility, availability, assigned } = query.filters ?? {};
  const conditions = [
    search
      ? sql<SqlBool>`p.product_id in (
          select product_id from catalog_products where store_hash = ${query.storeHash} and name ilike ${pattern}
          union select product_id from catalog_products where store_hash = ${query.storeHash} and sku ilike ${pattern}
          union select product_id from catalog_variants where store_hash = ${query.storeHash} and sku ilike ${pattern})`
      : undefined,
    visibility ? sql<SqlBool>`p.is_visible = ${visibility === 'visible'}` : undefined,
    availability ? sql<SqlBool>`p.availability = ${availability}` : undefined,
    assigned
      ? sql<SqlBool>`${sql.raw(assigned === 'yes' ? '' : 'not ')}exists (select 1 from assignments a
          where a.store_hash = p.store_hash and a.product_id = p.product_id and a.released_at is null)`
      : undefined,
  ].filter((c) => c !== undefined);
  return conditions.length === 0 ? sql<SqlBool>`true` : sql.join(conditions, sql` and `);
}

/** One page of products and the number of products matching. */
export async function listProducts(db: Db, query: ProductListQuery): Promise<{ rows: ProductListRow[]; total: number }> {
  const where = matching(query);
  // The page's ids come from the name index alone; assignments and stock are looked up for those rows only.
  const [page, count] = await Promise.all([
    sql<ProductListRow>`
      with page as (
        select p.product_id, lower(p.name) as sort_name from catalog_products p
        where p.store_hash = ${query.storeHash} and ${where}
        order by lower(p.name), p.product_id
        limit ${query.limit} offset ${query.offset}
      )
      select p.product_id as "productId", p.name, p.sku, p.is_visible as "isVisible", p.availability,
             p.inventory_tracking as "inventoryTracking", p.inventory_level as "inventoryLevel",
             p.variants_inventory_level as "variantsInventoryLevel", p.variant_count as "variantCount",
             a.id is not null as assigned, a.state,
             (select sum(i.current_stock) from inventory_items i
               where i.store_hash = a.store_hash and i.assignment_id = a.id and i.retired_at is null) as "appStock"
      from page
      join catalog_products p on p.store_hash = ${query.storeHash} and p.product_id = page.product_id
      left join assignments a on a.store_hash = p.store_hash and a.product_id = p.product_id and a.released_at is null
      order by page.sort_name, page.product_id`.execute(db),
    sql<{ total: number }>`
      select count(*) as total from catalog_products p
      where p.store_hash = ${query.storeHash} and ${where}`.execute(db),
  ]);
  return {
    rows: page.rows.map((row) => ({ ...row, appStock: row.appStock === null ? null : Number(row.appStock) })),
    total: Number(count.rows[0]?.total ?? 0),
  };
}
