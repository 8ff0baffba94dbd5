/**
 * Stock from BigCommerce: re-reads the levels of assigned products (250 products a request, variants
 * included) and applies each change as a movement. Used on product and SKU events, by the periodic poll
 * (BigCommerce sends no event for a variant's level while tracking is off), by the admin's Sync and when
 * the assign job takes a product over.
 */
import type { StoreConnection } from '../bigcommerce/index.ts';
import { changeStock, type StockDeps } from './stock.service.ts';

/**
 * BigCommerce's level is a counter the merchant or an ERP moves while the app holds the product; a change
 * to it is applied to current stock as a movement, so units owed to waiting shoppers are never forgotten
 * (a level raised from 0 to 30 with 50 units owed leaves current stock at -20, not 30). Reading the same
 * level again changes nothing; the first level read of an item is only recorded. One stock change for
 * all `levels`; returns the items whose stock moved.
 */
export async function applyBigCommerceLevels(deps: StockDeps, storeHash: string, levels: ReadonlyArray<{ itemId: number; level: number }>): Promise<number[]> {
  if (levels.length === 0) return [];
  const { moves } = await changeStock(deps, storeHash, {
    reason: 'sync',
    itemIds: levels.map((l) => l.itemId),
    decide: (_trx, items) =>
      levels.map(({ itemId, level }) => ({ itemId, stock: { level }, note: `BigCommerce level ${items.get(itemId)?.bigcommerce_level} → ${level}` })),
  });
  return moves.flatMap((move) => (move ? [move.itemId] : []));
}

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
 * Re-reads the levels of the store's active items (only those of `productIds` when given), one stock
 * change per page. `applied` is called after each page's levels are committed (selling and the storefront
 * have followed), so a run cut short (a spent API budget) has already handed on what it applied.
 */
export async function syncLevels(
  deps: StockDeps,
  connection: Pick<StoreConnection, 'productPages'>,
  storeHash: string,
  productIds?: readonly number[],
  applied?: (page: LevelPage) => Promise<void>,
): Promise<LevelSyncResult> {
  let query = deps.db
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
    const levels: Array<{ itemId: number; level: number }> = [];
    for (const product of page) {
      for (const item of byProduct.get(product.id) ?? []) {
        seen.add(item.id);
        const level = item.variant_id === null ? product.inventory_level : product.variants?.find((v) => v.id === item.variant_id)?.inventory_level;
        if (level === undefined || level === null) result.missing.push(item.id);
        else levels.push({ itemId: item.id, level });
      }
    }
    result.itemsRead += levels.length;
    const changedItems = await applyBigCommerceLevels(deps, storeHash, levels);
    result.changedItems.push(...changedItems);
    await applied?.({ productIds: page.map((product) => product.id), changedItems });
  }
  for (const item of items) if (!seen.has(item.id)) result.missing.push(item.id);
  return result;
}
