/**
 * What leaving BackOrder does to the purchasing holds selling control left on a product (unassign, release
 * all, tracking turned back on by someone else): the variants the app disabled when selling stopped are made
 * purchasable again — only those, never one the merchant had disabled — and every open hold of the product's
 * items is closed. Selling control no longer looks at retired items, so nothing else would ever lift them.
 * A product or variant deleted in BigCommerce has nothing left to lift there: its holds are only closed.
 */
import type { ProductHandBack, StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { liftHolds, mirrorPurchasing, openHoldsOf } from '../selling/purchasing-holds.repo.ts';
import type { ActiveAssignment } from './assignments.repo.ts';

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
  const holds = await openHoldsOf(
    db,
    storeHash,
    entries.flatMap((e) => e.items.map((i) => i.id)),
  );
  const backs = entries.flatMap((entry) => {
    const own = new Set(entry.items.map((i) => i.id));
    const back = backOf(
      entry,
      holds.filter((h) => own.has(h.item_id) && h.disabled_by_app).map((h) => h.variant_id),
    );
    return back ? [back] : [];
  });
  if (backs.length > 0) {
    await connection.handBack(backs);
    await mirrorPurchasing(
      db,
      storeHash,
      backs.flatMap((back) => back.enableVariants ?? []),
      false,
    );
  }
  await liftHolds(
    db,
    storeHash,
    holds.map((h) => h.id),
  );
}

/** Closes the open holds of items whose product or variant BigCommerce deleted: there is nothing to lift there. */
export async function closeHolds(db: Db, storeHash: string, itemIds: readonly number[]): Promise<void> {
  await liftHolds(
    db,
    storeHash,
    (await openHoldsOf(db, storeHash, itemIds)).map((h) => h.id),
  );
}
