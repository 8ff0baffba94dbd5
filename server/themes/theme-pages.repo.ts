/** The store's public address and the catalog products the theme check opens (from the catalog mirror). */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface CheckProducts {
  /** The product page to read: a visible product, one with options when the store has one. */
  page: { productId: number; hasOptions: boolean } | null;
  /** A product the add-to-cart link can add: visible, available, without options, with stock or untracked. */
  cartProductId: number | null;
}

/** The store's storefront URL (`secure_url`), '' when its profile was not read yet. */
export async function findStorefrontUrl(db: Db, storeHash: string): Promise<string> {
  const row = await db.selectFrom('stores').select('secure_url').where('store_hash', '=', storeHash).executeTakeFirst();
  return row?.secure_url ?? '';
}

export async function findCheckProducts(db: Db, storeHash: string): Promise<CheckProducts> {
  const visible = db
    .selectFrom('catalog_products')
    .select(['product_id', 'variant_count'])
    .where('store_hash', '=', storeHash)
    .where('is_visible', '=', true)
    .where('availability', '!=', 'disabled');
  const [page, cart] = await Promise.all([
    visible
      .orderBy(sql`variant_count > 1`, 'desc')
      .orderBy('product_id')
      .limit(1)
      .executeTakeFirst(),
    visible
      .where('availability', '=', 'available')
      .where('variant_count', '<=', 1)
      .where((eb) => eb.or([eb('inventory_tracking', '=', 'none'), eb('inventory_level', '>', 0)]))
      .orderBy('product_id')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    page: page ? { productId: page.product_id, hasOptions: page.variant_count > 1 } : null,
    cartProductId: cart?.product_id ?? null,
  };
}
