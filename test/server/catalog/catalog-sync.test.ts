import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogProduct, CatalogSource } from '../../../server/bigcommerce/index.ts';
import { syncCatalog } from '../../../server/catalog/catalog-sync.service.ts';
import { openJob } from '../../../server/jobs/jobs.repo.ts';
import type { Progress } from '../../../server/jobs/jobs.service.ts';
import { bcProduct } from '../../helpers/fake-bigcommerce.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

function source(products: CatalogProduct[], pageSize: number, options: { failAtPage?: number } = {}): CatalogSource {
  async function* pages<T>(items: T[], fail?: number) {
    for (let i = 0; i * pageSize < items.length; i++) {
      if (i === fail) throw new Error('502 Bad Gateway');
      yield items.slice(i * pageSize, (i + 1) * pageSize);
    }
  }
  return {
    productCount: async () => products.length,
    products: (afterId) =>
      pages(
        products.filter((p) => afterId === undefined || p.id > afterId),
        options.failAtPage,
      ),
    categories: () => pages([{ id: 3, parent_id: 0, name: 'Kitchen', is_visible: true }]),
    brands: () => pages([{ id: 9, name: 'Acme' }]),
  };
}

function recorder(): Progress & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    setTotal: async (total) => void events.push(`total ${total}`),
    advance: async (count) => void events.push(`+${count}`),
    say: async (message) => void events.push(message),
  };
}

async function newRun(storeHash: string): Promise<number> {
  const { job } = await openJob(database.db, storeHash, 'catalog-sync', '');
  await database.db.updateTable('jobs').set({ status: 'succeeded' }).where('id', '=', job.id).execute();
  return job.id;
}

const mirror = (storeHash: string) =>
  database.db.selectFrom('catalog_products').selectAll().where('store_hash', '=', storeHash).orderBy('product_id').execute();

describe('catalog sync', () => {
  it('when a catalog is read page by page, then products, variants, categories and brands are mirrored with progress per page', async () => {
    const store = await createStore(database.db, 'sync1');
    const shirt = bcProduct({
      name: 'Shirt',
      inventory_tracking: 'variant',
      categories: [3],
      brand_id: 9,
      variants: [
        {
          id: 501,
          product_id: 0,
          sku: 'SH-S',
          option_values: [{ id: 31, option_id: 3, option_display_name: 'Size', label: 'S' }],
          inventory_level: 2,
          purchasing_disabled: false,
        },
        {
          id: 502,
          product_id: 0,
          sku: 'SH-L',
          option_values: [{ id: 32, option_id: 3, option_display_name: 'Size', label: 'L' }],
          inventory_level: 3,
          purchasing_disabled: true,
        },
      ],
    });
    const products = [shirt, bcProduct({ name: 'Mug', is_visible: false, availability: 'preorder' }), bcProduct({ name: 'Jar', inventory_tracking: 'none' })];
    const progress = recorder();

    const summary = await syncCatalog(database.db, source(products, 2), store, await newRun(store), progress);

    expect(summary).toEqual({ products: 3, variants: 4, categories: 1, brands: 1, removed: 0 });
    expect(progress.events.filter((e) => !e.startsWith('Reading'))).toEqual(['total 3', '+2', '+1']);
    const rows = await mirror(store);
    expect(rows.find((r) => r.name === 'Shirt')).toMatchObject({
      inventory_tracking: 'variant',
      variants_inventory_level: 5,
      variant_count: 2,
      category_ids: [3],
      brand_id: 9,
    });
    expect(rows.find((r) => r.name === 'Mug')).toMatchObject({ is_visible: false, availability: 'preorder', brand_id: null });
    const variants = await database.db.selectFrom('catalog_variants').selectAll().where('product_id', '=', shirt.id).orderBy('variant_id').execute();
    expect(variants.map((v) => [v.sku, v.option_labels, v.purchasing_disabled])).toEqual([
      ['SH-S', 'Size: S', false],
      ['SH-L', 'Size: L', true],
    ]);
  });

  it('when products or variants disappear from BigCommerce, then the next complete sync removes them', async () => {
    const store = await createStore(database.db, 'sync2');
    const keep = bcProduct({ name: 'Keep' });
    const drop = bcProduct({ name: 'Drop' });
    await syncCatalog(database.db, source([keep, drop], 250), store, await newRun(store), recorder());

    const renamed = { ...keep, name: 'Kept and renamed', variants: [{ ...keep.variants![0]!, id: keep.id * 100 + 1, sku: 'NEW-SKU' }] };
    const summary = await syncCatalog(database.db, source([renamed], 250), store, await newRun(store), recorder());

    expect(summary.removed).toBe(1);
    expect((await mirror(store)).map((r) => r.name)).toEqual(['Kept and renamed']);
    const variants = await database.db.selectFrom('catalog_variants').select('sku').where('store_hash', '=', store).execute();
    expect(variants.map((v) => v.sku)).toEqual(['NEW-SKU']);
  });

  it('when a sync fails half-way, then nothing is deleted and the pages read so far are kept', async () => {
    const store = await createStore(database.db, 'sync3');
    const products = [bcProduct({ name: 'A' }), bcProduct({ name: 'B' }), bcProduct({ name: 'C' })];
    await syncCatalog(database.db, source(products, 250), store, await newRun(store), recorder());

    const changed = products.map((p) => ({ ...p, name: `${p.name}2` }));
    await expect(syncCatalog(database.db, source(changed, 1, { failAtPage: 1 }), store, await newRun(store), recorder())).rejects.toThrow('502');
    expect((await mirror(store)).map((r) => r.name)).toEqual(['A2', 'B', 'C']);
  });

  it('when a sync has written 10,000 products, then All Products’ search indexes hold no unmerged entries for searches to read through', async () => {
    const store = await createStore(database.db, 'sync4');
    const products = Array.from({ length: 10_000 }, (_, i) => bcProduct({ id: i + 1, name: `Walnut Bowl ${i + 1}`, sku: `SKU-${i + 1}` }));
    await syncCatalog(database.db, source(products, 250), store, await newRun(store), recorder());
    // gin_clean_pending_list merges what is left and says how many pages it held: some 400 without the sync’s merge.
    for (const index of ['catalog_products_name_trgm', 'catalog_products_sku_trgm', 'catalog_variants_sku_trgm']) {
      const { rows } = await sql<{ pages: number }>`select gin_clean_pending_list(${index}::regclass) as pages`.execute(database.db);
      expect(Number(rows[0]!.pages), index).toBe(0);
    }
  });
});
