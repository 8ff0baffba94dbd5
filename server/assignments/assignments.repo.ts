/** Rows of `assignments` and the inventory items created with them. */
import { sql } from 'kysely';
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

export interface ActiveAssignment {
  assignment: Assignment;
  items: InventoryItem[];
}

/** The store's assigned products with their active items, oldest assignment first. */
export async function activeAssignments(db: Db, storeHash: string): Promise<ActiveAssignment[]> {
  const assignments = await db
    .selectFrom('assignments')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('released_at', 'is', null)
    .orderBy('id')
    .execute();
  if (assignments.length === 0) return [];
  const items = await db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('assignment_id', 'in', assignments.map((a) => a.id))
    .where('retired_at', 'is', null)
    .orderBy('id')
    .execute();
  return assignments.map((assignment) => ({ assignment, items: items.filter((item) => item.assignment_id === assignment.id) }));
}

/**
 * Ends an assignment in one transaction: its items are retired (their stock stops moving) under their row
 * locks, and their waiting backorder lines are marked released (they stay in the report). Allocated lines
 * keep their units. False when it was already released.
 */
export async function releaseAssignment(db: Db, storeHash: string, assignmentId: number, reason: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const items = await trx
      .selectFrom('inventory_items')
      .select('id')
      .where('store_hash', '=', storeHash)
      .where('assignment_id', '=', assignmentId)
      .where('retired_at', 'is', null)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
    const released = await trx
      .updateTable('assignments')
      .set({ released_at: sql`now()`, release_reason: reason })
      .where('store_hash', '=', storeHash)
      .where('id', '=', assignmentId)
      .where('released_at', 'is', null)
      .executeTakeFirst();
    if (Number(released.numUpdatedRows) === 0) return false;
    if (items.length === 0) return true;
    const itemIds = items.map((item) => item.id);
    await trx
      .updateTable('inventory_items')
      .set({ retired_at: sql`now()`, updated_at: sql`now()` })
      .where('store_hash', '=', storeHash)
      .where('id', 'in', itemIds)
      .execute();
    await trx
      .updateTable('backorder_lines')
      .set({ status: 'released', updated_at: sql`now()` })
      .where('store_hash', '=', storeHash)
      .where('item_id', 'in', itemIds)
      .where('status', '=', 'waiting')
      .execute();
    return true;
  });
}
