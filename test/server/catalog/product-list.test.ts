import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../../../server/bigcommerce/index.ts';
import { saveProductPage } from '../../../server/catalog/catalog-sync.service.ts';
import { COUNT_CAP, listProducts, type ProductFilters } from '../../../server/catalog/product-list.repo.ts';
import type { PageAt } from '../../../server/admin/paging.ts';
import { bcProduct } from '../../helpers/fake-bigcommerce.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();

/** Every page of the list, following the Next links from the first page, or the Previous links from the last. */
async function walk(storeHash: string, search: string, filters: ProductFilters, direction: 'forward' | 'backward') {
  const ids: number[] = [];
  const totals = new Set<string>();
  let at: PageAt = direction === 'forward' ? { first: true } : { last: true };
  for (;;) {
    const { page, total, totalCapped } = await listProducts(database.db, { storeHash, search, filters, limit: 4, at });
    totals.add(`${total}${totalCapped ? '+' : ''}`);
    const pageIds = page.rows.map((row) => row.productId);
    if (direction === 'forward') ids.push(...pageIds);
    else ids.unshift(...pageIds);
    const more = direction === 'forward' ? page.hasNext : page.hasPrevious;
    if (!more) return { ids, totals: [...totals] };
    at = direction === 'forward' ? { after: pageIds[pageIds.length - 1]! } : { before: pageIds[0]! };
  }
}

describe('All Products search and count', () => {
  it('when products match by name, product SKU and variant SKU at once, then each is listed and counted once, in name order, whichever way it is paged', async () => {
    const store = await createStore(database.db, 'list1');
    const words = ['Copper', 'walnut', 'OAK'];
    const products: CatalogProduct[] = Array.from({ length: 60 }, (_, i) => {
      const id = i + 1;
      // Every tenth product has the same name but for its case: the product id orders them.
      const name = id % 10 === 0 ? (id % 20 === 0 ? 'Oak Lamp' : 'oak lamp') : `${words[id % 3]} ${id % 2 ? 'Lamp' : 'Bowl'} ${id}`;
      const variantSkus = id % 7 === 0 ? [`LAMP-${id}`, `LAMP-${id}-B`] : [`V-${id}`];
      return bcProduct({
        id,
        name,
        sku: id % 11 === 0 ? `LAMP-SKU-${id}` : `C-${id}`,
        is_visible: id % 4 !== 0,
        variants: variantSkus.map((sku, n) => ({ id: id * 10 + n, product_id: id, sku, option_values: [], inventory_level: 1, purchasing_disabled: false })),
      });
    });
    await saveProductPage(database.db, store, 1, products);
    const assigned = new Set(products.filter((p) => p.id % 5 === 0).map((p) => p.id));
    for (const productId of assigned) await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 2 }, { productId });

    const expected = (search: string, filters: ProductFilters) =>
      products
        .filter((p) => {
          const texts = [p.name, p.sku ?? '', ...(p.variants ?? []).map((v) => v.sku ?? '')].map((t) => t.toLowerCase());
          return (
            texts.some((t) => t.includes(search.toLowerCase())) &&
            (!filters.visibility || p.is_visible === (filters.visibility === 'visible')) &&
            (!filters.assigned || assigned.has(p.id) === (filters.assigned === 'yes'))
          );
        })
        .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.id - b.id))
        .map((p) => p.id);

    const filterSets: ProductFilters[] = [{}, { visibility: 'visible' }, { visibility: 'hidden', assigned: 'no' }, { assigned: 'yes' }];
    for (const search of ['lamp', 'LAMP-', 'oak lamp', 'c-1', 'copper', 'nothing', '']) {
      for (const filters of filterSets) {
        const ids = expected(search, filters);
        const what = `"${search}" ${JSON.stringify(filters)}`;
        expect(await walk(store, search, filters, 'forward'), what).toEqual({ ids, totals: [String(ids.length)] });
        expect(await walk(store, search, filters, 'backward'), what).toEqual({ ids, totals: [String(ids.length)] });
      }
    }
  });

  it('when more than 10,000 products match a search, some by variant SKU only, then the count stops there and says so; at exactly 10,000 it does not', async () => {
    const store = await createStore(database.db, 'list2');
    await sql`insert into catalog_products (store_hash, product_id, name, sku, is_visible, availability, inventory_tracking)
      select ${store}, g, 'Lamp ' || g, 'L-' || g, true, 'available', 'none' from generate_series(1, ${COUNT_CAP}) g`.execute(database.db);
    // A hidden vase found by its variant's SKU only, and product 1 found by its name and a variant's SKU.
    await sql`insert into catalog_products (store_hash, product_id, name, sku, is_visible, availability, inventory_tracking)
      values (${store}, ${COUNT_CAP + 1}, 'Vase', 'VASE', false, 'available', 'variant')`.execute(database.db);
    await sql`insert into catalog_variants (store_hash, variant_id, product_id, sku, inventory_level, purchasing_disabled)
      values (${store}, 1, ${COUNT_CAP + 1}, 'LAMP-SHADE', 0, false), (${store}, 2, 1, 'LAMP-1', 0, false)`.execute(database.db);
    const list = (filters: ProductFilters, at: PageAt = { first: true }) =>
      listProducts(database.db, { storeHash: store, search: 'lamp', filters, limit: 50, at });

    expect(await list({})).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    const visible = await list({ visibility: 'visible' });
    expect(visible).toMatchObject({ total: COUNT_CAP, totalCapped: false });
    expect(visible.page.rows.slice(0, 3).map((row) => row.name)).toEqual(['Lamp 1', 'Lamp 10', 'Lamp 100']);
    const hidden = await list({ visibility: 'hidden' });
    expect(hidden).toMatchObject({ total: 1, totalCapped: false });
    expect(hidden.page.rows.map((row) => row.name)).toEqual(['Vase']);
    expect((await list({}, { last: true })).page.rows.at(-1)?.name).toBe('Vase');
    // After the list's last product: the last page, still counting the matches (not an empty page).
    const beyond = await list({ visibility: 'visible' }, { after: 9999 });
    expect(beyond).toMatchObject({ page: { hasPrevious: true, hasNext: false }, total: COUNT_CAP });
    expect(beyond.page.rows).toHaveLength(50);
  });

  it('when many stores share the database, then every trigram index of the search leads with the store, so a search reads only its own store’s matches', async () => {
    const { rows } = await sql<{ indexname: string; indexdef: string }>`
      select indexname, indexdef from pg_indexes where tablename in ('catalog_products', 'catalog_variants') and indexdef like '%gin_trgm_ops%'
      order by indexname`.execute(database.db);
    expect(rows.map((r) => r.indexname)).toEqual(['catalog_products_name_trgm', 'catalog_products_sku_trgm', 'catalog_variants_sku_trgm']);
    for (const { indexdef } of rows) expect(indexdef).toMatch(/USING gin \(store_hash, \w+ gin_trgm_ops\)/);
  });
});
