/**
 * Stock from BigCommerce: re-reads the levels of assigned products (250 products a request, variants
 * included) and applies each change as a movement. Used on product and SKU events, by the periodic poll
 * (BigCommerce sends no event for a variant's level while tracking is off) and by the admin's Sync.
 */
import type { StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { applyBigCommerceLevel } from './inventory.service.ts';

export interface LevelSyncResult {
  itemsRead: number;
  /** Items whose stock the read changed. */
  changedItems: number[];
  /** Items whose product or variant BigCommerce no longer has. */
  missing: number[];
}

/** What one page of products (up to 250) applied: its products, and the items whose stock it changed. */
export interface LevelPage {
  productIds: number[];
  changedItems: number[];
}

/**
 * Re-reads the levels of the store's active items (only those of `productIds` when given). `applied` is
 * called after each page's levels are committed, so a run cut short (a spent API budget) has already
 * handed on what it applied.
 */
export async function syncLevels(
  db: Db,
  connection: Pick<StoreConnection, 'productPages'>,
  storeHash: string,
  productIds?: readonly number[],
  applied?: (page: LevelPage) => Promise<void>,
): Promise<LevelSyncResult> {
  let query = db
    .selectFrom('inventory_items')
    .select(['id', 'product_id', 'variant_id'])
    .where('store_hash', '=', storeHash)
    .where('retired_at', 'is', null);
  if (productIds) {
    if (productIds.length === 0) return { itemsRead: 0, changedItems: [], missing: [] };
    query = query.where('product_id', 'in', [...productIds]);
  }
  const items = await query.execute();
  const byProduct = new Map<number, typeof items>();
  for (const item of items) byProduct.set(item.product_id, [...(byProduct.get(item.product_id) ?? []), item]);
  const result: LevelSyncResult = { itemsRead: 0, changedItems: [], missing: [] };
  const seen = new Set<number>();

  const pages = connection.productPages([...byProduct.keys()]);
  for await (const page of pages) {
    const changedItems: number[] = [];
    for (const product of page) {
      for (const item of byProduct.get(product.id) ?? []) {
        seen.add(item.id);
        const level =
          item.variant_id === null ? product.inventory_level : product.variants?.find((v) => v.id === item.variant_id)?.inventory_level;
        if (level === undefined || level === null) {
          result.missing.push(item.id);
          continue;
        }
        result.itemsRead++;
        const change = await applyBigCommerceLevel(db, storeHash, item.id, level);
        if (change?.applied) changedItems.push(item.id);
      }
    }
    result.changedItems.push(...changedItems);
    await applied?.({ productIds: page.map((product) => product.id), changedItems });
  }
  for (const item of items) if (!seen.has(item.id)) result.missing.push(item.id);
  return result;
}
