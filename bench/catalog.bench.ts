/**
 * catalog.sync.100k.seconds: the first catalog sync of a store with 100,000 products (one variant each),
 * read in pages of 250 as BigCommerce serves them, into a fresh PostgreSQL database.
 * products.search.100k.p95_ms: the All Products list at 100,000 products — first, middle and last
 * pages, searches by part of a name, by product SKU, by variant SKU, a search matching nothing, and the
 * Visibility, Availability and Assigned filters (1,000 products assigned), alone and combined — the
 * 95th percentile over 20 rounds of those queries, after 3 warm-up rounds. Pages are keyset pages as the
 * admin's links ask for them: page N of a list is the page after the last product of page N − 1.
 * products.search.10_stores.p95_ms: the same queries in one store of a database holding 10 such stores
 * (1,000,000 products): what a deployment serving many stores sees.
 */
import { sql } from 'kysely';
import type { CatalogProduct, CatalogSource } from '../server/bigcommerce/index.ts';
import { syncCatalog } from '../server/catalog/catalog-sync.service.ts';
import { mergeSearchIndexes } from '../server/catalog/catalog.repo.ts';
import { productsPage } from '../server/catalog/catalog.service.ts';
import { listProducts, type ProductFilters } from '../server/catalog/product-list.repo.ts';
import type { PageAt } from '../server/admin/paging.ts';
import type { Db } from '../server/db/database.ts';
import { openFreshDatabase } from './helpers.ts';
import { percentile, round, type Benchmark } from './lib.ts';

const PRODUCTS = 100_000;
const PAGE = 250;
const WORDS = ['Ceramic', 'Walnut', 'Linen', 'Copper', 'Glass', 'Oak', 'Wool', 'Marble', 'Brass', 'Cotton'];
const THINGS = ['Lamp', 'Bowl', 'Chair', 'Throw', 'Vase', 'Table', 'Rug', 'Mug', 'Shelf', 'Mirror'];

function product(id: number): CatalogProduct {
  const name = `${WORDS[id % 10]} ${THINGS[Math.floor(id / 10) % 10]} ${id}`;
  return {
    id,
    name,
    sku: `SKU-${id}`,
    is_visible: id % 5 !== 0,
    availability: id % 17 === 0 ? 'preorder' : 'available',
    inventory_tracking: 'product',
    inventory_level: id % 40,
    categories: [id % 30],
    brand_id: id % 12,
    date_modified: '2026-11-01T10:00:00+00:00',
    variants: [{ id: id * 10, product_id: id, sku: `V-${id}`, option_values: [], inventory_level: id % 40, purchasing_disabled: false }],
  };
}

const source: CatalogSource = {
  productCount: async () => PRODUCTS,
  async *products() {
    for (let start = 1; start <= PRODUCTS; start += PAGE) {
      yield Array.from({ length: Math.min(PAGE, PRODUCTS - start + 1) }, (_, i) => product(start + i));
    }
  },
  async *categories() {
    yield Array.from({ length: 30 }, (_, id) => ({ id, parent_id: 0, name: `Category ${id}`, is_visible: true }));
  },
  async *brands() {
    yield Array.from({ length: 12 }, (_, id) => ({ id: id + 1, name: `Brand ${id + 1}` }));
  },
};

const progress = { setTotal: async () => {}, advance: async () => {}, say: async () => {} };

const benchmark: Benchmark = {
  name: 'catalog',
  timeoutMs: 10 * 60_000,
  async run({ figure, services }) {
    const { database } = await openFreshDatabase((await services()).databaseUrl);
    try {
      const store = 'bench1';
      await database.db.insertInto('stores').values({ store_hash: store, access_token_ciphertext: null }).execute();
      const { id: jobId } = await database.db.insertInto('jobs').values({ store_hash: store, kind: 'install' }).returning('id').executeTakeFirstOrThrow();

      const started = performance.now();
      await syncCatalog(database.db, source, store, jobId, progress);
      figure('catalog.sync.100k.seconds', round((performance.now() - started) / 1000, 1));
      // 1,000 of the products assigned, for the Assigned filter.
      await sql`insert into assignments (store_hash, product_id, tracked_by, saved_inventory_tracking, saved_availability)
        select ${store}, g * 100, 'product', 'product', 'available' from generate_series(1, 1000) g`.execute(database.db);
      await sql`analyze`.execute(database.db);

      figure('products.search.100k.p95_ms', await searchP95(database.db, store));

      // Nine more stores of the same catalog: a search reads only its own store's matches.
      const others = Array.from({ length: 9 }, (_, i) => `bench${i + 2}`);
      await database.db
        .insertInto('stores')
        .values(others.map((store_hash) => ({ store_hash, access_token_ciphertext: null })))
        .execute();
      await sql`insert into catalog_products (store_hash, product_id, name, sku, is_visible, availability, inventory_tracking, inventory_level,
          variants_inventory_level, variant_count, category_ids, brand_id, date_modified)
        select o, product_id, name, sku, is_visible, availability, inventory_tracking, inventory_level, variants_inventory_level, variant_count,
          category_ids, brand_id, date_modified
        from catalog_products, unnest(${others}::text[]) o where store_hash = ${store}`.execute(database.db);
      await sql`insert into catalog_variants (store_hash, variant_id, product_id, sku, option_labels, inventory_level, purchasing_disabled, option_pairs)
        select o, variant_id, product_id, sku, option_labels, inventory_level, purchasing_disabled, option_pairs
        from catalog_variants, unnest(${others}::text[]) o where store_hash = ${store}`.execute(database.db);
      await mergeSearchIndexes(database.db);
      await sql`analyze`.execute(database.db);
      figure('products.search.10_stores.p95_ms', await searchP95(database.db, store));
    } finally {
      await database.close();
    }
  },
};

/** The 95th percentile of the list's queries in `store`, over 20 rounds after 3 warm-up rounds. */
async function searchP95(db: Db, store: string): Promise<number> {
  const queries = [
    { search: '', page: 1 },
    { search: '', page: 1000 },
    { search: '', page: 2000 },
    { search: 'walnut lamp', page: 1 },
    { search: 'copper', page: 50 },
    { search: 'SKU-4242', page: 1 },
    { search: 'V-77777', page: 1 },
    { search: 'nothing like this', page: 1 },
    { search: '', page: 1, filters: { visibility: 'hidden' } },
    { search: '', page: 300, filters: { availability: 'available', visibility: 'visible' } },
    { search: '', page: 1, filters: { availability: 'preorder' } },
    { search: '', page: 1, filters: { assigned: 'yes' } },
    { search: '', page: 100, filters: { assigned: 'no' } },
    { search: 'oak', page: 1, filters: { assigned: 'no', visibility: 'visible' } },
  ] as Array<{ search: string; page: number; filters?: ProductFilters }>;
  // Where each page starts, as the Next link of the page before it says (the last page: as the Last link does).
  const lastPage = 2000;
  const starts = new Map<(typeof queries)[number], PageAt>();
  for (const query of queries) {
    if (query.page === 1) starts.set(query, { first: true });
    else if (query.search === '' && !query.filters && query.page === lastPage) starts.set(query, { last: true });
    else {
      const before = await listProducts(db, {
        storeHash: store,
        search: query.search,
        filters: query.filters,
        limit: (query.page - 1) * 50,
        at: { first: true },
      });
      starts.set(query, { after: before.page.rows[before.page.rows.length - 1]!.productId });
    }
  }
  const timings: number[] = [];
  for (let pass = 0; pass < 23; pass++) {
    for (const query of queries) {
      const at = performance.now();
      await productsPage(db, store, { search: query.search, at: starts.get(query)!, limit: 50 }, query.filters);
      if (pass >= 3) timings.push(performance.now() - at);
    }
  }
  return round(percentile(timings, 95), 1);
}

export default benchmark;
