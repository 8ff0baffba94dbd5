/** Rows of `purchasing_holds`: what the app changed in BigCommerce to stop selling an item. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PurchasingHold } from '../db/schema.ts';

/** The item's open holds. */
export async function activeHolds(db: Db, storeHash: string, itemId: number): Promise<PurchasingHold[]> {
  return openHoldsOf(db, storeHash, [itemId]);
}

/** Open holds of any of the items (unassign and release lift them). */
export async function openHoldsOf(db: Db, storeHash: string, itemIds: readonly number[]): Promise<PurchasingHold[]> {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('purchasing_holds')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('item_id', 'in', [...itemIds])
    .where('lifted_at', 'is', null)
    .execute();
}

export async function insertHolds(
  db: Db,
  holds: Array<{ storeHash: string; itemId: number; productId: number; variantId: number; disabledByApp: boolean }>,
): Promise<PurchasingHold[]> {
  if (holds.length === 0) return [];
  return db
    .insertInto('purchasing_holds')
    .values(
      holds.map((h) => ({
        store_hash: h.storeHash,
        item_id: h.itemId,
        product_id: h.productId,
        variant_id: h.variantId,
        disabled_by_app: h.disabledByApp,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .execute();
}

export async function liftHolds(db: Db, storeHash: string, holdIds: readonly number[]): Promise<void> {
  if (holdIds.length === 0) return;
  await db
    .updateTable('purchasing_holds')
    .set({ lifted_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...holdIds])
    .execute();
}

/**
 * Marks the holds applied (those not yet), each of the app's with the message BigCommerce now shows on its
 * variant (a variant the merchant had disabled shows the merchant's own: no message recorded).
 */
export async function markHoldsApplied(db: Db, storeHash: string, holdIds: number[], message: string): Promise<void> {
  if (holdIds.length === 0) return;
  await db
    .updateTable('purchasing_holds')
    .set({ applied_at: sql`coalesce(applied_at, now())`, message: sql<string | null>`case when disabled_by_app then ${message} end` })
    .where('store_hash', '=', storeHash)
    .where('id', 'in', holdIds)
    .execute();
}

/** The store's items with a hold of the app's not lifted, as a query to narrow: those whose variants show (or are about to show) the message. */
function heldByApp(db: Db, storeHash: string) {
  return db
    .selectFrom('purchasing_holds')
    .select('item_id')
    .distinct()
    .where('store_hash', '=', storeHash)
    .where('lifted_at', 'is', null)
    .where('disabled_by_app', '=', true)
    .orderBy('item_id');
}

/** The store's items with a hold of the app's not lifted. */
export async function itemsHeldByApp(db: Db, storeHash: string): Promise<number[]> {
  return (await heldByApp(db, storeHash).execute()).map((row) => row.item_id);
}

/** The store's items whose variants the app stopped with a text other than `message` (the store's now). */
export async function itemsShowingOtherMessage(db: Db, storeHash: string, message: string): Promise<number[]> {
  const rows = await heldByApp(db, storeHash)
    .where('applied_at', 'is not', null)
    .where(sql<boolean>`message is distinct from ${message}`)
    .execute();
  return rows.map((row) => row.item_id);
}

/**
 * The catalog mirror follows the app's own purchasing writes at once: the storefront takes a disabled variant
 * with no hold of the app's open for the merchant's doing, so a variant the app resumed must not read disabled
 * until the next level read. Call after BigCommerce took the write, before the holds are lifted.
 */
export async function mirrorPurchasing(db: Db, storeHash: string, variantIds: readonly number[], disabled: boolean): Promise<void> {
  if (variantIds.length === 0) return;
  await db
    .updateTable('catalog_variants')
    .set({ purchasing_disabled: disabled })
    .where('store_hash', '=', storeHash)
    .where('variant_id', 'in', [...variantIds])
    .execute();
}
