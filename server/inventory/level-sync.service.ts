/**
 * Stock from BigCommerce: re-reads the levels of assigned products (250 products a request, variants
 * included) and applies each change as a movement. Used on product and SKU events, by the periodic poll
 * (BigCommerce sends no event for a variant's level while tracking is off) and by the admin's Sync.
 */
import type { BigCommerceClient } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { applyBigCommerceLevel } from './inventory.service.ts';

export interface LevelSyncResult {
  itemsRead: number;
  /** Items whose stock the read changed. */
  changedItems: number[];
  /** Items whose product or variant BigCommerce no longer has. */
  missing: number[];
}

/** Re-reads the levels of the store's active items (only those of `productIds` when given). */
export async function syncLevels(db: Db, client: BigCommerceClient, storeHash: string, productIds?: readonly number[]): Promise<LevelSyncResult> {
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

  const pages = client.catalog.products.pagesByIds([...byProduct.keys()], { include: ['variants'] });
  for await (const page of pages) {
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
        if (change?.applied) result.changedItems.push(item.id);
      }
    }
  }
  for (const item of items) if (!seen.has(item.id)) result.missing.push(item.id);
  return result;
}
