/**
 * Stock from BigCommerce: re-reads the levels of assigned products (250 products a request, variants
 * included) and applies each change as a movement. Used on product and SKU events, by the periodic poll
 * (BigCommerce sends no event for a variant's level while tracking is off), by the admin's Sync and when
 * the assign job takes a product over.
 */
import { sql } from 'kysely';
import type { StoreConnection } from '../bigcommerce/index.ts';
import { ORDER_SETTLE_MS } from './level-sync.jobs.ts';
import { changeStock, type StockDeps } from './stock.service.ts';
import { orderEventsPending, strictLevelsOutOfStep } from './strict-levels.repo.ts';

/** A level read: the item, the level, and — for a strict item — its `level_seq` when the read began. */
export interface LevelRead {
  itemId: number;
  level: number;
  seq?: number;
}

/**
 * BigCommerce's level is a counter the merchant or an ERP moves while the app holds the product; a change
 * to it is applied to current stock as a movement, so units owed to waiting shoppers are never forgotten
 * (a level raised from 0 to 30 with 50 units owed leaves current stock at -20, not 30). Reading the same
 * level again changes nothing; the first level read of an item is only recorded. One stock change for
 * all `levels`; returns the items whose stock moved, and the strict items `deferred`: BigCommerce counts
 * an order in the level the moment it takes it, the app only once its event arrives, so the read of an item
 * held strictly (now, or before a switch to flexible) waits until no order moved the item for
 * ORDER_SETTLE_MS and no order event of the store waits to be applied, and a read begun before the app moved the expected level itself (a write, an order) is
 * stale. Both are read again.
 */
export async function applyBigCommerceLevels(
  deps: StockDeps,
  storeHash: string,
  levels: readonly LevelRead[],
  now = Date.now(),
): Promise<{ changed: number[]; deferred: number[] }> {
  if (levels.length === 0) return { changed: [], deferred: [] };
  const deferred: number[] = [];
  const { moves } = await changeStock(deps, storeHash, {
    reason: 'sync',
    itemIds: levels.map((l) => l.itemId),
    decide: async (trx, items) => {
      // Only an item held strictly (now or before) has orders BigCommerce counted that the app may not have:
      // a read of flexible items alone (every read of a flexible store) does not ask.
      const ordersOnTheirWay = [...items.values()].some((item) => item.level_counted_from) && (await orderEventsPending(trx, storeHash));
      return levels.flatMap(({ itemId, level, seq }) => {
        const item = items.get(itemId);
        const unsettled =
          item?.level_counted_from &&
          (ordersOnTheirWay || (seq !== undefined && seq !== item.level_seq) || (item.last_order_at && now - item.last_order_at.getTime() < ORDER_SETTLE_MS));
        if (unsettled) {
          deferred.push(itemId);
          return [];
        }
        return [{ itemId, stock: { level }, note: `BigCommerce level ${item?.bigcommerce_level} → ${level}` }];
      });
    },
  });
  const changed = moves.flatMap((move) => (move ? [move.itemId] : []));
  // A strict level only recorded (unknown since a limit mode switch) is written to the salable quantity now;
  // the changed items' levels followed their change already.
  const recorded = levels.filter((l) => !deferred.includes(l.itemId) && !changed.includes(l.itemId)).map((l) => l.itemId);
  const toWrite = recorded.length > 0 ? await strictLevelsOutOfStep(deps.db, storeHash, recorded) : [];
  if (toWrite.length > 0) await deps.effects.writeLevels(storeHash, toWrite);
  return { changed, deferred };
}

/**
 * An item whose stock the merchant gave, of a product still being assigned: the count given is its stock as
 * assigned, and BigCommerce's level, which counts orders until tracking goes off, is first recorded by the
 * assign job once it is off — a read before would take the orders in between twice.
 */
const GIVEN_WHILE_ASSIGNING = sql<boolean>`(bigcommerce_level is null and stock_given_at is not null
  and exists (select 1 from assignments a where a.id = assignment_id and a.state = 'assigning'))`;

export interface LevelSyncResult {
  itemsRead: number;
  /** Items whose stock the read changed. */
  changedItems: number[];
  /** Items whose product or variant BigCommerce no longer has. */
  missing: number[];
  /** Products of strict items whose read waits for orders to settle. */
  deferred: number[];
  /** Products of strict items whose stock the read moved. */
  strictMoved: number[];
}

/** What one page of products (up to 250) applied: its products, and the items whose stock it changed. */
export interface LevelPage {
  productIds: number[];
  changedItems: number[];
  /** Each variant of the page's products, as read: whether its purchasing is disabled in BigCommerce. */
  purchasing: Array<{ variantId: number; disabled: boolean }>;
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
    .select(['id', 'product_id', 'variant_id', 'level_seq', 'level_counted_from'])
    .where('store_hash', '=', storeHash)
    .where('retired_at', 'is', null)
    .where(sql<boolean>`not ${GIVEN_WHILE_ASSIGNING}`);
  if (productIds) {
    if (productIds.length === 0) return { itemsRead: 0, changedItems: [], missing: [], deferred: [], strictMoved: [] };
    query = query.where('product_id', 'in', [...productIds]);
  }
  const items = await query.execute();
  const byProduct = new Map<number, typeof items>();
  for (const item of items) byProduct.set(item.product_id, [...(byProduct.get(item.product_id) ?? []), item]);
  const result: LevelSyncResult = { itemsRead: 0, changedItems: [], missing: [], deferred: [], strictMoved: [] };
  const productOf = new Map(items.map((item) => [item.id, item.product_id]));
  // Items held strictly now or before: orders BigCommerce counted in their level may still be on their way.
  const strict = new Set(items.filter((item) => item.level_counted_from !== null).map((item) => item.id));
  const seen = new Set<number>();

  const pages = connection.productPages([...byProduct.keys()]);
  for await (const page of pages) {
    const levels: LevelRead[] = [];
    for (const product of page) {
      for (const item of byProduct.get(product.id) ?? []) {
        seen.add(item.id);
        const level = item.variant_id === null ? product.inventory_level : product.variants?.find((v) => v.id === item.variant_id)?.inventory_level;
        if (level === undefined || level === null) result.missing.push(item.id);
        else levels.push({ itemId: item.id, level, seq: item.level_seq });
      }
    }
    result.itemsRead += levels.length;
    const { changed: changedItems, deferred } = await applyBigCommerceLevels(deps, storeHash, levels);
    result.changedItems.push(...changedItems);
    for (const itemId of deferred) if (!result.deferred.includes(productOf.get(itemId)!)) result.deferred.push(productOf.get(itemId)!);
    for (const itemId of changedItems)
      if (strict.has(itemId) && !result.strictMoved.includes(productOf.get(itemId)!)) result.strictMoved.push(productOf.get(itemId)!);
    await applied?.({
      productIds: page.map((product) => product.id),
      changedItems,
      purchasing: page.flatMap((product) => (product.variants ?? []).map((v) => ({ variantId: v.id, disabled: v.purchasing_disabled }))),
    });
  }
  for (const item of items) if (!seen.has(item.id)) result.missing.push(item.id);
  return result;
}
