/**
 * An order's lines as its convergence starts from them, read outside any lock: the lines of assigned items
 * (or lines the app already holds), each with the item it holds from and what the app recorded of it.
 */
import type { Db } from '../db/database.ts';
import { predates } from './level-follows.ts';
import { isShipped, unitsToHold, type OrderSnapshot, type OrderSnapshotLine } from './order-snapshot.ts';
import { targetLines, type NewOrderLine, type TargetLine } from './order-lines.repo.ts';

/** An order line of an assigned item, with the item it holds from (and how the app recorded it, if it did). */
export interface Target extends TargetLine {
  line: OrderSnapshotLine;
}

/**
 * Whether the order already is what the app recorded: every line known, holding what it should, with the
 * same quantity and status, nothing shipped or archived. BigCommerce sends several events for one order (and
 * one more for the note the app writes into it); such a repeat has nothing to move, so it takes no lock.
 * Read outside the items' locks, a "yes" is what the stock change would have found at that instant.
 */
export function alreadyConverged(order: OrderSnapshot, targets: readonly Target[]): boolean {
  if (order.archived) return false;
  return targets.every(({ line, recorded: held }) => {
    if (!held || held.retired_at !== null || isShipped(order.statusId, line)) return false;
    const toHold = held.predates_assignment ? 0 : unitsToHold(order.statusId, line, order.archived);
    return held.held_qty === toHold && held.ordered_qty === line.quantity && held.order_status_id === order.statusId;
  });
}

/**
 * Lines of assigned items (or lines the app already holds), in item-id order so that concurrent deliveries of
 * the order lock its lines alike; and whether the order's note is owed.
 */
export async function targetsOf(db: Db, storeHash: string, order: OrderSnapshot): Promise<{ targets: Target[]; noteOwed: boolean }> {
  const { lines, noteOwed } = await targetLines(db, storeHash, order.id, order.lines);
  const found = new Map(lines.map((target) => [target.orderProductId, target]));
  const targets = order.lines.flatMap((line): Target[] => {
    const target = found.get(line.orderProductId);
    return target ? [{ ...target, line }] : [];
  });
  return { targets: targets.sort((a, b) => a.itemId - b.itemId || a.line.orderProductId - b.line.orderProductId), noteOwed };
}

/** The order line as a row to create, holding nothing, unless it exists. */
export function newLine(order: OrderSnapshot, target: Target): NewOrderLine {
  return {
    orderId: order.id,
    orderProductId: target.line.orderProductId,
    itemId: target.itemId,
    productId: target.line.productId,
    variantId: target.line.variantId,
    sku: target.line.sku,
    productName: target.line.name,
    orderedQty: target.line.quantity,
    orderStatusId: order.statusId,
    orderCreatedAt: order.createdAt,
    predatesAssignment: predates(order.createdAt, target.assignedAt),
  };
}
