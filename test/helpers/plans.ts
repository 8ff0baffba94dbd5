/** Plans in tests: assigning one product the way every assign path does, the plan's limit checked first. */
import { insertAssignment } from '../../server/assignments/assignments.repo.ts';
import type { Db } from '../../server/db/database.ts';
import { assertCanAssign } from '../../server/plans/plans.service.ts';

let nextProductId = 900_000;

/** Assigns one product (a new id each time) under the store's plan lock; refused over the limit. */
export function assignOneUnderPlan(db: Db, storeHash: string): Promise<void> {
  return db.transaction().execute(async (trx) => {
    await assertCanAssign(trx, storeHash, 1);
    await insertAssignment(trx, {
      storeHash,
      productId: nextProductId++,
      trackedBy: 'product',
      savedInventoryTracking: 'product',
      savedAvailability: 'available',
      items: [{ variantId: null, sku: '', currentStock: 0, backorderThreshold: 0, bigcommerceLevel: 0 }],
    });
  });
}

/** Puts `count` products on the store's assigned list at once (ids from `firstProductId`), as months of work would. */
export async function assignedAlready(db: Db, storeHash: string, count: number, firstProductId = 1_000_000): Promise<void> {
  for (let start = 0; start < count; start += 5_000) {
    const rows = Array.from({ length: Math.min(5_000, count - start) }, (_, i) => ({
      store_hash: storeHash,
      product_id: firstProductId + start + i,
      tracked_by: 'product' as const,
      saved_inventory_tracking: 'product' as const,
      saved_availability: 'available' as const,
      state: 'active' as const,
    }));
    await db.insertInto('assignments').values(rows).execute();
  }
}
