/** Rows of `assignments` and the inventory items created with them. */
import type { Db } from '../db/database.ts';
import type { Assignment, Availability, InventoryItem, TrackingMode } from '../db/schema.ts';

export interface NewItem {
  /** null when the product is tracked at product level. */
  variantId: number | null;
  sku: string;
  currentStock: number;
  /** null: unlimited. */
  backorderThreshold: number | null;
  incomingStock?: number;
  /** YYYY-MM-DD */
  backInStockDate?: string | null;
  /** The level BigCommerce reported at assignment. */
  bigcommerceLevel: number | null;
}

export interface NewAssignment {
  storeHash: string;
  productId: number;
  trackedBy: 'product' | 'variant';
  savedInventoryTracking: TrackingMode;
  savedAvailability: Availability;
  items: NewItem[];
  assignedAt?: Date;
}

/** Creates the assignment and its items in the caller's transaction. */
export async function insertAssignment(trx: Db, assignment: NewAssignment): Promise<{ assignment: Assignment; items: InventoryItem[] }> {
  const row = await trx
    .insertInto('assignments')
    .values({
      store_hash: assignment.storeHash,
      product_id: assignment.productId,
      tracked_by: assignment.trackedBy,
      saved_inventory_tracking: assignment.savedInventoryTracking,
      saved_availability: assignment.savedAvailability,
      ...(assignment.assignedAt ? { assigned_at: assignment.assignedAt } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const items = await trx
    .insertInto('inventory_items')
    .values(
      assignment.items.map((item) => ({
        store_hash: assignment.storeHash,
        assignment_id: row.id,
        product_id: assignment.productId,
        variant_id: item.variantId,
        sku: item.sku,
        starting_stock: item.currentStock,
        current_stock: item.currentStock,
        backorder_threshold: item.backorderThreshold,
        incoming_stock: item.incomingStock ?? 0,
        back_in_stock_date: item.backInStockDate ?? null,
        bigcommerce_level: item.bigcommerceLevel,
      })),
    )
    .returningAll()
    .execute();
  return { assignment: row, items };
}
