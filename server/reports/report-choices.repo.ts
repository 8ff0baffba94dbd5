/** What the report's Category and Brand lists offer: the store's categories and brands from the catalog mirror. */
import type { Db } from '../db/database.ts';

export interface Choice {
  id: number;
  name: string;
}

/** The store's categories and brands, by name. */
export async function filterChoices(db: Db, storeHash: string): Promise<{ categories: Choice[]; brands: Choice[] }> {
  const [categories, brands] = await Promise.all([
    db
      .selectFrom('catalog_categories')
      .select(['category_id as id', 'name'])
      .where('store_hash', '=', storeHash)
      .orderBy('name')
      .orderBy('category_id')
      .execute(),
    db.selectFrom('catalog_brands').select(['brand_id as id', 'name']).where('store_hash', '=', storeHash).orderBy('name').orderBy('brand_id').execute(),
  ]);
  return { categories, brands };
}
