/**
 * An order's lines as its convergence starts from them, read outside any lock: each line of an assigned item
 * with the item it holds from now, and each line the app recorded, with what it holds. A line that left its
 * item — removed from the order, or its product or variant changed in an edit — gives back there all it held;
 * one that changed product takes on its new item as a line seen for the first time would.
 */
import type { Db } from '../db/database.ts';
import { predatesAssignment } from './level-follows.ts';
import { isShipped, unitsToHold, type OrderSnapshot, type OrderSnapshotLine } from './order-snapshot.ts';
import { targetLines, type NewOrderLine, type RecordedLine, type TargetLine } from './order-lines.repo.ts';

/** One order line's part on one item: the line as it is now, the item, and what the app recorded of it there. */
export interface Target {
  line: OrderSnapshotLine;
  itemId: number;
  /** From when the app counts the orders of the item's product (`predatesAssignment`): known for a line new on the item. */
  assignedAt?: Date | null;
  /** The item's selling is out of step with its salable quantity. */
  sellingOutOfStep: boolean;
  recorded?: RecordedLine;
  /** The line left the item: it holds nothing there any more, and gives back what it held. */
  leaves?: true;
}

/**
 * Whether the order already is what the app recorded: every line known, holding what it should, with the
 * same quantity, status, units shipped, variant, SKU and name, no line wholly shipped, the order not archived. BigCommerce sends several events for one order (and
 * one more for the note the app writes into it); such a repeat has nothing to move, so it takes no lock.
 * Read outside the items' locks, a "yes" is what the stock change would have found at that instant.
 */
export function alreadyConverged(order: OrderSnapshot, targets: readonly Target[]): boolean {
  if (order.archived) return false;
  return targets.every(({ line, recorded: held }) => {
    if (!held || held.retired_at !== null || isShipped(order.statusId, line)) return false;
    const toHold = held.predates_assignment ? 0 : unitsToHold(order.statusId, line, order.archived);
    return (
      held.held_qty === toHold &&
      held.ordered_qty === line.quantity &&
      held.order_status_id === order.statusId &&
      held.shipped_qty === line.quantityShipped &&
      describedAlike(line, held)
    );
  });
}

/**
 * Whether the line is still what the app recorded of it: the same variant, SKU and name. An edit can change a
 * line's variant without changing its item (a product tracked as a whole), and the report must show the new one.
 */
export function describedAlike(line: OrderSnapshotLine, recorded: Pick<RecordedLine, 'variant_id' | 'sku' | 'product_name'>): boolean {
  return line.variantId === recorded.variant_id && line.sku === recorded.sku && line.name === recorded.product_name;
}

/** The line as it stands on an item it left: none of it ordered there any more. */
function gone(orderProductId: number, recorded: RecordedLine): OrderSnapshotLine {
  const { product_id: productId, variant_id: variantId, sku, product_name: name } = recorded;
  return { orderProductId, productId, variantId, sku, name, quantity: 0, quantityRefunded: 0, quantityShipped: 0 };
}

/** One line's parts: on the item it holds from now, and — when it left the item it was recorded on — there. */
function partsOf({ orderProductId, item, recorded }: TargetLine, line: OrderSnapshotLine | undefined): Target[] {
  if (line && item && recorded?.item_id === item.id) return [{ line, itemId: item.id, sellingOutOfStep: recorded.selling_out_of_step, recorded }];
  const left: Target[] = recorded
    ? [{ line: gone(orderProductId, recorded), itemId: recorded.item_id, sellingOutOfStep: recorded.selling_out_of_step, recorded, leaves: true }]
    : [];
  const now: Target[] = line && item ? [{ line, itemId: item.id, assignedAt: item.assignedAt, sellingOutOfStep: item.sellingOutOfStep }] : [];
  return [...left, ...now];
}

/**
 * The order's lines as parts on their items, in item-id order so that concurrent deliveries of the order lock
 * its lines alike; and whether the order's note is owed.
 */
export async function targetsOf(db: Db, storeHash: string, order: OrderSnapshot): Promise<{ targets: Target[]; noteOwed: boolean }> {
  const { lines, noteOwed } = await targetLines(db, storeHash, order.id, order.lines);
  const now = new Map(order.lines.map((line) => [line.orderProductId, line]));
  const targets = lines.flatMap((found) => partsOf(found, now.get(found.orderProductId)));
  return { targets: targets.sort((a, b) => a.itemId - b.itemId || a.line.orderProductId - b.line.orderProductId), noteOwed };
}

/**
 * The order line as a row to create, holding nothing, unless it exists; one per line, however many items it
 * has parts on: an existing line is locked on the item it was recorded on.
 */
export function lockedLinesOf(order: OrderSnapshot, targets: readonly Target[]): NewOrderLine[] {
  const lines = new Map<number, NewOrderLine>();
  for (const target of targets) {
    const { line, recorded } = target;
    if (lines.has(line.orderProductId) && !recorded) continue;
    lines.set(line.orderProductId, {
      orderId: order.id,
      orderProductId: line.orderProductId,
      itemId: recorded?.item_id ?? target.itemId,
      productId: line.productId,
      variantId: line.variantId,
      sku: line.sku,
      productName: line.name,
      orderedQty: line.quantity,
      orderStatusId: order.statusId,
      orderCreatedAt: order.createdAt,
      predatesAssignment: target.assignedAt !== undefined && predatesAssignment(order.createdAt, target.assignedAt),
      snapshot: order,
    });
  }
  return [...lines.values()];
}
