/**
 * Orders converge. BigCommerce has already accepted an order — with tracking off it cannot refuse it — so
 * for every line of an assigned item the app computes the units the order should hold now, compares them
 * with what it already holds, and applies only the difference, in one transaction: stock moves, the
 * ledger records it, the backorder line grows or shrinks, and waiting units are rebalanced. A duplicate,
 * late or out-of-order event therefore changes nothing that is already true.
 */
import type { Db } from '../db/database.ts';
import { growLine, refreshEtas, shrinkLine } from '../backorders/backorders.repo.ts';
import { rebalance } from '../backorders/backorders.service.ts';
import { changeStock, salableQty } from '../inventory/stock.service.ts';
import { isShipped, unitsToHold, type OrderSnapshot, type OrderSnapshotLine } from './order-snapshot.ts';
import { lockOrderLine, markLineShipped, updateHeld } from './order-lines.repo.ts';

export interface LineOutcome {
  orderProductId: number;
  itemId: number;
  /** Units taken (positive) or given back (negative) by this convergence. */
  taken: number;
  fromStock: number;
  backordered: number;
  overCap: number;
  stockAfter: number;
  /** Salable quantity before and after; Infinity when unlimited. */
  salableBefore: number;
  salableAfter: number;
}

export interface OrderConvergence {
  /** The lines whose held units changed in this run. */
  moved: LineOutcome[];
  /** Every item the order's lines hold from, moved or not, with its salable quantity now. */
  items: Array<{ itemId: number; salable: number }>;
}

interface Target {
  line: OrderSnapshotLine;
  itemId: number;
  assignedAt: Date;
}

/** Lines of assigned items (or lines the app already holds), in item-id order so that concurrent orders lock items alike. */
async function targetsOf(db: Db, storeHash: string, order: OrderSnapshot): Promise<Target[]> {
  const known = await db
    .selectFrom('order_lines')
    .innerJoin('inventory_items as i', 'i.id', 'order_lines.item_id')
    .innerJoin('assignments as a', 'a.id', 'i.assignment_id')
    .select(['order_lines.order_product_id', 'order_lines.item_id', 'a.assigned_at'])
    .where('order_lines.store_hash', '=', storeHash)
    .where('order_lines.order_id', '=', order.id)
    .execute();
  const byLine = new Map(known.map((row) => [row.order_product_id, { itemId: row.item_id, assignedAt: row.assigned_at }]));

  const targets: Target[] = [];
  for (const line of order.lines) {
    const held = byLine.get(line.orderProductId);
    if (held) {
      targets.push({ line, ...held });
      continue;
    }
    const item = await db
      .selectFrom('inventory_items as i')
      .innerJoin('assignments as a', 'a.id', 'i.assignment_id')
      .select(['i.id', 'a.assigned_at'])
      .where('i.store_hash', '=', storeHash)
      .where('i.product_id', '=', line.productId)
      .where('i.retired_at', 'is', null)
      .where((eb) => eb.or([eb('i.variant_id', 'is', null), eb('i.variant_id', '=', line.variantId ?? -1)]))
      .executeTakeFirst();
    if (item) targets.push({ line, itemId: item.id, assignedAt: item.assigned_at });
  }
  return targets.sort((a, b) => a.itemId - b.itemId || a.line.orderProductId - b.line.orderProductId);
}

/**
 * BigCommerce dates orders to the second: an order stamped in the second the product was assigned may
 * have come just after it, so only an order from an earlier second predates the assignment.
 */
export function predates(orderCreatedAt: Date, assignedAt: Date): boolean {
  return orderCreatedAt.getTime() < Math.floor(assignedAt.getTime() / 1000) * 1000;
}

/** Converges every line of the order to the units it should hold; returns what moved and the items touched. */
export async function convergeOrder(db: Db, storeHash: string, order: OrderSnapshot): Promise<OrderConvergence> {
  const targets = await targetsOf(db, storeHash, order);
  if (targets.length === 0) return { moved: [], items: [] };
  return db.transaction().execute(async (trx) => {
    const outcomes: LineOutcome[] = [];
    const items = new Map<number, number>();
    for (const { line, itemId, assignedAt } of targets) {
      const key = { storeHash, orderId: order.id, orderProductId: line.orderProductId };
      const held = await lockOrderLine(trx, {
        ...key,
        itemId,
        productId: line.productId,
        variantId: line.variantId,
        sku: line.sku,
        productName: line.name,
        orderedQty: line.quantity,
        orderStatusId: order.statusId,
        orderCreatedAt: order.createdAt,
        predatesAssignment: predates(order.createdAt, assignedAt),
      });
      const target = held.predates_assignment ? 0 : unitsToHold(order.statusId, line);
      const taken = target - held.held_qty;

      const change = await changeStock(trx, {
        storeHash,
        itemId: held.item_id,
        delta: -taken,
        reason: 'order',
        idempotencyKey: `order:${order.id}:${line.orderProductId}:v${held.version + 1}`,
        orderId: order.id,
      });
      // A retired item (unassigned) no longer moves: its lines keep what they held.
      if (!change) continue;
      items.set(held.item_id, salableQty(change.after, change.threshold));
      if (change.applied) {
        const salableBefore = salableQty(change.before, change.threshold);
        const fromStock = taken > 0 ? Math.max(0, Math.min(change.before, taken)) : 0;
        const backordered = taken > 0 ? taken - fromStock : 0;
        const overCap = taken > 0 ? Math.max(0, taken - Math.max(0, salableBefore)) : 0;
        if (taken > 0) {
          await growLine(trx, {
            ...key,
            itemId: held.item_id,
            productId: line.productId,
            variantId: line.variantId,
            sku: line.sku,
            productName: line.name,
            orderedQty: line.quantity,
            orderCreatedAt: order.createdAt,
            fromStock,
            previouslyHeld: held.held_qty,
            backordered,
            overCap,
          });
        } else {
          await shrinkLine(trx, storeHash, order.id, line.orderProductId, -taken, target);
        }
        // Units taken beyond stock join the waiting units and are exactly what the item now owes, so a take
        // keeps the lines balanced by itself; only units given back move others' allocations.
        if (taken < 0) await rebalance(trx, storeHash, held.item_id, change.after, change.incomingStock > 0);
        else if (backordered > 0 && change.incomingStock > 0) await refreshEtas(trx, storeHash, held.item_id);
        outcomes.push({
          orderProductId: line.orderProductId,
          itemId: held.item_id,
          taken,
          fromStock,
          backordered,
          overCap,
          stockAfter: change.after,
          salableBefore,
          salableAfter: salableQty(change.after, change.threshold),
        });
      }
      await updateHeld(trx, key, { heldQty: target, orderedQty: line.quantity, orderStatusId: order.statusId, bumpVersion: change.applied });
      if (isShipped(order.statusId, line)) await markLineShipped(trx, storeHash, order.id, line.orderProductId);
    }
    return { moved: outcomes, items: [...items].map(([itemId, salable]) => ({ itemId, salable })) };
  });
}
