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
