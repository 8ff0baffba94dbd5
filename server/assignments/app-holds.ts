/**
 * What leaving BackOrder does to the purchasing holds selling control left on a product (unassign, release
 * all, tracking turned back on by someone else): the variants the app disabled when selling stopped are made
 * purchasable again — only those, never one the merchant had disabled — and every open hold of the product's
 * items is closed. Selling control no longer looks at retired items, so nothing else would ever lift them.
 * A product or variant deleted in BigCommerce has nothing left to lift there: its holds are only closed.
 */
import type { ProductHandBack, StoreConnection } from '../app-lifecycle/ports.ts';
import type { Db } from '../db/database.ts';
import type { ActiveAssignment } from './assignments.repo.ts';

/** Holds of these items the app has not lifted yet. */
async function openHolds(db: Db, storeHash: string, itemIds: readonly number[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('purchasing_holds')
    .select(['id', 'item_id', 'variant_id', 'disabled_by_app'])
    .where('store_hash', '=', storeHash)
    .where('item_id', 'in', [...itemIds])
    .where('lifted_at', 'is', null)
    .execute();
}

async function markLifted(db: Db, storeHash: string, holdIds: readonly number[]): Promise<void> {
  if (holdIds.length === 0) return;
  await db.updateTable('purchasing_holds').set({ lifted_at: new Date() }).where('store_hash', '=', storeHash).where('id', 'in', [...holdIds]).execute();
}

/** How one product is handed back, given the variants the app disabled on it; undefined: nothing to send. */
export type HandBackOf = (entry: ActiveAssignment, enableVariants: number[]) => ProductHandBack | undefined;

/** Only the app's own holds are lifted: the product is otherwise left as it is. */
export const enableOnly: HandBackOf = (entry, enableVariants) =>
  enableVariants.length > 0 ? { productId: entry.assignment.product_id, enableVariants } : undefined;

/**
 * Hands the products back to BigCommerce (at most 10, one batch request) with the variants the app disabled
 * made purchasable again, then closes their holds. Call it before the assignments are released: a failure
 * leaves the holds open and the products assigned, for the retry.
 */
export async function handBackLiftingHolds(
  db: Db,
  connection: Pick<StoreConnection, 'handBack'>,
  storeHash: string,
  entries: readonly ActiveAssignment[],
  backOf: HandBackOf,
): Promise<void> {
  const holds = await openHolds(db, storeHash, entries.flatMap((e) => e.items.map((i) => i.id)));
  const backs = entries.flatMap((entry) => {
    const own = new Set(entry.items.map((i) => i.id));
    const back = backOf(entry, holds.filter((h) => own.has(h.item_id) && h.disabled_by_app).map((h) => h.variant_id));
    return back ? [back] : [];
  });
  if (backs.length > 0) await connection.handBack(backs);
  await markLifted(db, storeHash, holds.map((h) => h.id));
}

/** Closes the open holds of items whose product or variant BigCommerce deleted: there is nothing to lift there. */
export async function closeHolds(db: Db, storeHash: string, itemIds: readonly number[]): Promise<void> {
  await markLifted(db, storeHash, (await openHolds(db, storeHash, itemIds)).map((h) => h.id));
}
