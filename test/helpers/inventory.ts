/** Builds stores, assignments and orders for stock-engine tests. */
import type { Db } from '../../server/db/database.ts';
import type { InventoryItem } from '../../server/db/schema.ts';
import { insertAssignment, type NewItem } from '../../server/assignments/assignments.repo.ts';
import type { ItemValues } from '../../server/inventory/item-values.ts';
import { editItems, type EditOutcome } from '../../server/inventory/item-edits.service.ts';
import type { StockEffects } from '../../server/inventory/stock-effects.ts';
import type { StockDeps } from '../../server/inventory/stock.service.ts';
import { ORDER_STATUS, type OrderSnapshot } from '../../server/orders/order-snapshot.ts';

/** Effects that record what stock changes asked for: the items given selling checks, and the stores whose storefront cache dropped. */
export function recordingEffects(): { effects: StockEffects; checked: number[]; dropped: string[] } {
  const checked: number[] = [];
  const dropped: string[] = [];
  const effects: StockEffects = {
    async changed(storeHash, itemIds) {
      checked.push(...itemIds);
      dropped.push(storeHash);
    },
    async check(_storeHash, itemIds) {
      checked.push(...itemIds);
    },
    async writeLevels() {},
  };
  return { effects, checked, dropped };
}

/** What the stock service is given in a test that does not watch what follows a change (see `recordingEffects`). */
export function stockDeps(db: Db, effects: StockEffects = recordingEffects().effects): StockDeps {
  return { db, effects };
}

export async function createStore(db: Db, storeHash = 'store1'): Promise<string> {
  await db
    .insertInto('stores')
    .values({ store_hash: storeHash, access_token_ciphertext: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return storeHash;
}

let nextProductId = 100;

/**
 * Assigns a simple product (tracked by product) with the given stock and threshold; returns its item. Active,
 * unless `state` says it is still being assigned (BigCommerce tracking it until the assign job runs).
 */
export async function assignProduct(
  db: Db,
  storeHash: string,
  item: Partial<NewItem> & { currentStock: number; backorderThreshold: number | null },
  options: { productId?: number; assignedAt?: Date; state?: 'assigning' } = {},
): Promise<InventoryItem> {
  const productId = options.productId ?? nextProductId++;
  const { items } = await db.transaction().execute((trx) =>
    insertAssignment(trx, {
      storeHash,
      productId,
      trackedBy: 'product',
      savedInventoryTracking: 'product',
      savedAvailability: 'available',
      assignedAt: options.assignedAt,
      ...(options.state ? { state: options.state } : {}),
      items: [{ variantId: null, sku: `SKU-${productId}`, bigcommerceLevel: item.currentStock, ...item }],
    }),
  );
  return items[0]!;
}

/**
 * Assigns a product with the given items (one with `variantId: null`: tracked by product; else one per
 * variant), active at once; returns its items.
 */
export async function assignItems(
  db: Db,
  storeHash: string,
  productId: number,
  items: Array<{ variantId: number | null; stock: number; threshold: number | null; date?: string; incoming?: number }>,
): Promise<InventoryItem[]> {
  const { items: rows } = await db.transaction().execute((trx) =>
    insertAssignment(trx, {
      storeHash,
      productId,
      trackedBy: items[0]!.variantId === null ? 'product' : 'variant',
      savedInventoryTracking: 'product',
      savedAvailability: 'available',
      items: items.map((i) => ({
        variantId: i.variantId,
        sku: `S-${productId}-${i.variantId ?? 0}`,
        currentStock: i.stock,
        backorderThreshold: i.threshold,
        backInStockDate: i.date ?? null,
        incomingStock: i.incoming ?? 0,
        bigcommerceLevel: i.stock,
      })),
    }),
  );
  return rows;
}

let nextOrderId = 1000;

/**
 * The version of a snapshot built here, unless one is given: the same for all of them, so that none is older
 * than another (orders/stale-snapshots.ts) and a test converges them in whatever order it likes.
 */
export const SNAPSHOT_VERSION = { modifiedAt: new Date('2026-01-01T00:00:00Z'), readAt: new Date('2026-01-01T00:00:00Z') };

/** An order of one line for the item's product. */
export function orderFor(
  item: Pick<InventoryItem, 'product_id' | 'variant_id' | 'sku'>,
  quantity: number,
  options: { id?: number; statusId?: number; createdAt?: Date; refunded?: number; shipped?: number; name?: string; modifiedAt?: Date; readAt?: Date } = {},
): OrderSnapshot {
  const id = options.id ?? nextOrderId++;
  return {
    id,
    statusId: options.statusId ?? ORDER_STATUS.awaitingFulfillment,
    createdAt: options.createdAt ?? new Date(Date.now() + id),
    modifiedAt: options.modifiedAt ?? SNAPSHOT_VERSION.modifiedAt,
    readAt: options.readAt ?? SNAPSHOT_VERSION.readAt,
    lines: [
      {
        orderProductId: id * 10,
        productId: item.product_id,
        variantId: item.variant_id,
        sku: item.sku,
        name: options.name ?? `Product ${item.product_id}`,
        quantity,
        quantityRefunded: options.refunded ?? 0,
        quantityShipped: options.shipped ?? 0,
      },
    ],
  };
}

export async function stockOf(db: Db, itemId: number) {
  const item = await db.selectFrom('inventory_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
  const lines = await db.selectFrom('backorder_lines').selectAll().where('item_id', '=', itemId).orderBy('order_created_at').orderBy('order_id').execute();
  const open = lines.filter((l) => l.status === 'waiting' || l.status === 'allocated');
  return {
    currentStock: item.current_stock,
    shortfall: item.unexplained_shortfall,
    waiting: open.reduce((sum, l) => sum + l.backordered_qty - l.allocated_qty, 0),
    allocated: open.reduce((sum, l) => sum + l.allocated_qty, 0),
    overCap: lines.filter((l) => l.status !== 'cancelled').reduce((sum, l) => sum + l.over_cap_qty, 0),
    lines,
  };
}

/**
 * Edits one item as the admin's edit dialog does (`editItems`, each value relative to what the page
 * showed: the item as it is now); `editKey` is the form's (the same form posted twice carries the same).
 */
export async function editItem(deps: StockDeps, storeHash: string, itemId: number, values: ItemValues, editKey?: string): Promise<EditOutcome> {
  const item = await deps.db.selectFrom('inventory_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
  const shown = {
    currentStock: item.current_stock,
    backorderThreshold: item.backorder_threshold,
    incomingStock: item.incoming_stock,
    backInStockDate: item.back_in_stock_date,
  };
  return editItems(deps, storeHash, [{ itemId, label: item.sku, values, shown }], { reason: 'manual', ...(editKey ? { runKey: editKey } : {}) });
}
