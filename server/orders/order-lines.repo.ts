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

/** An order line as the app last recorded it, with its item's stock now. */
export interface RecordedLine {
  held_qty: number;
  ordered_qty: number;
  order_status_id: number;
  predates_assignment: boolean;
  retired_at: Date | null;
  current_stock: number;
  backorder_threshold: number | null;
}

/** An order line of an assigned item, as `targetLines` finds it. */
export interface TargetLine {
  orderProductId: number;
  itemId: number;
  assignedAt: Date;
  /** None for a line seen for the first time. */
  recorded?: RecordedLine;
}

/**
 * The item each of the order's lines holds from, in one statement: the item its recorded line names, with
 * that line and the item's stock now; else, for a line seen for the first time, the product's (or the
 * variant's) item in service. Lines of items the app does not hold are left out.
 */
export async function targetLines(
  db: Db,
  storeHash: string,
  orderId: number,
  lines: ReadonlyArray<{ orderProductId: number; productId: number; variantId: number | null }>,
): Promise<TargetLine[]> {
  if (lines.length === 0) return [];
  const { rows } = await sql<{ order_product_id: number; item_id: number; assigned_at: Date; known: boolean } & RecordedLine>`
    select w.order_product_id, i.id as item_id, a.assigned_at, ol.order_product_id is not null as known,
           ol.held_qty, ol.ordered_qty, ol.order_status_id, ol.predates_assignment, i.retired_at, i.current_stock, i.backorder_threshold
    from unnest(${lines.map((l) => l.orderProductId)}::int[], ${lines.map((l) => l.productId)}::int[], ${lines.map((l) => l.variantId)}::int[])
      as w(order_product_id, product_id, variant_id)
    left join order_lines ol on ol.store_hash = ${storeHash} and ol.order_id = ${orderId} and ol.order_product_id = w.order_product_id
    join inventory_items i on i.id = coalesce(ol.item_id, (
      select n.id from inventory_items n
      where n.store_hash = ${storeHash} and n.product_id = w.product_id and n.retired_at is null
        and (n.variant_id is null or n.variant_id = coalesce(w.variant_id, -1))
      limit 1))
    join assignments a on a.id = i.assignment_id`.execute(db);
  return rows.map(({ order_product_id, item_id, assigned_at, known, ...recorded }) => ({
    orderProductId: order_product_id,
    itemId: item_id,
    assignedAt: assigned_at,
    ...(known ? { recorded } : {}),
  }));
}
