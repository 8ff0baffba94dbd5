/** Rows of `order_lines`: what the app holds for each order line of an assigned item. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OrderLine } from '../db/schema.ts';

export interface NewOrderLine {
  storeHash: string;
  orderId: number;
  orderProductId: number;
  itemId: number;
  productId: number;
  variantId: number | null;
  sku: string;
  productName: string;
  orderedQty: number;
  orderStatusId: number;
  orderCreatedAt: Date;
  predatesAssignment: boolean;
}

/**
 * Creates the row (holding nothing) unless it exists, and returns it locked for this transaction, in one
 * statement: an upsert that changes nothing still takes the row's lock and returns it.
 */
export async function lockOrderLine(trx: Db, line: NewOrderLine): Promise<OrderLine> {
  return trx
    .insertInto('order_lines')
    .values({
      store_hash: line.storeHash,
      order_id: line.orderId,
      order_product_id: line.orderProductId,
      item_id: line.itemId,
      product_id: line.productId,
      variant_id: line.variantId,
      sku: line.sku,
      product_name: line.productName,
      ordered_qty: line.orderedQty,
      order_status_id: line.orderStatusId,
      order_created_at: line.orderCreatedAt,
      predates_assignment: line.predatesAssignment,
    })
    .onConflict((oc) => oc.columns(['store_hash', 'order_id', 'order_product_id']).doUpdateSet({ order_id: sql`order_lines.order_id` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records what the line holds now. */
export async function updateHeld(
  trx: Db,
  key: { storeHash: string; orderId: number; orderProductId: number },
  change: { heldQty: number; orderedQty: number; orderStatusId: number; bumpVersion: boolean },
): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set({
      held_qty: change.heldQty,
      ordered_qty: change.orderedQty,
      order_status_id: change.orderStatusId,
      version: change.bumpVersion ? sql`version + 1` : sql`version`,
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', key.storeHash)
    .where('order_id', '=', key.orderId)
    .where('order_product_id', '=', key.orderProductId)
    .execute();
}

/** Marks the order line's backorder line shipped (done at once when nothing of it still waits). */
export async function markLineShipped(trx: Db, storeHash: string, orderId: number, orderProductId: number): Promise<void> {
  await trx
    .updateTable('backorder_lines')
    .set({
      shipped_at: sql`coalesce(shipped_at, now())`,
      status: sql`case when backordered_qty = allocated_qty then 'shipped' else status end`,
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .where('order_id', '=', orderId)
    .where('order_product_id', '=', orderProductId)
    .where('status', 'in', ['waiting', 'allocated'])
    .execute();
}
