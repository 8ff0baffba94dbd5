/**
 * Strict limit mode, seen from an order: whether BigCommerce moved a tracked item's level by an order
 * line's units itself. Then the app's order convergence moves the level it expects by the same units and
 * writes nothing back; otherwise (flexible, or an order BigCommerce did not count) the level is the app's
 * to follow.
 */
import type { LockedItem } from '../inventory/stock.service.ts';
import { holdsUnits, ORDER_STATUS, type OrderSnapshot, type OrderSnapshotLine } from './order-snapshot.ts';

/**
 * BigCommerce dates orders to the second: an order stamped in the second the product was assigned may
 * have come just after it, so only an order from an earlier second predates the assignment.
 */
export function predates(orderCreatedAt: Date, assignedAt: Date): boolean {
  return orderCreatedAt.getTime() < Math.floor(assignedAt.getTime() / 1000) * 1000;
}

/**
 * Whether an order holds nothing of an item whose orders the app counts from `assignedAt`: it was placed
 * before, or the app does not count them yet (null: the product is being assigned, BigCommerce's level still
 * counts every order, and its read counts this one).
 */
export function predatesAssignment(orderCreatedAt: Date, assignedAt: Date | null): boolean {
  return assignedAt === null || predates(orderCreatedAt, assignedAt);
}

/** Whether the order was placed while BigCommerce tracked the item for the app (its latest strict spell). */
function countedByLevel(order: OrderSnapshot, item: LockedItem): boolean {
  const { level_counted_from: from, level_counted_until: until } = item;
  return from !== null && !predates(order.createdAt, from) && (until === null || predates(order.createdAt, until));
}

/**
 * Whether BigCommerce moves a tracked item's level itself when an order line takes (`units` > 0) or gives
 * back units — as strict mode requires the store to: units are taken when the order is placed, and given back
 * when it is cancelled or set to Refunded by hand, or when an edit lowers the line's quantity or removes it
 * (BigCommerce's order edit adjusts stock, `edit_order_stock_adjustment`) — then those units, from `ordered`
 * before, are all the line gives back. A refund processed (refunded units on the line) or a declined order
 * gives nothing back to BigCommerce's level: the app writes those units itself.
 */
function bigCommerceMovesLevel(order: OrderSnapshot, line: OrderSnapshotLine, units: number, ordered: number): boolean {
  if (units >= 0) return true;
  const calledOff = order.statusId === ORDER_STATUS.cancelled || order.statusId === ORDER_STATUS.refunded;
  if (calledOff) return line.quantityRefunded === 0;
  return holdsUnits(order.statusId) && !order.archived && ordered - line.quantity === -units;
}

/**
 * Whether BigCommerce moved the item's level by the line's `units` (taken > 0, given back < 0) itself; `ordered`:
 * the line's quantity as last recorded.
 */
export function levelFollows(order: OrderSnapshot, item: LockedItem, line: OrderSnapshotLine, units: number, ordered: number): boolean {
  return countedByLevel(order, item) && bigCommerceMovesLevel(order, line, units, ordered);
}

/**
 * Of a line's move from `held` to `toHold` units, those BigCommerce moved as backordered (native backorders,
 * ref §9) — positive taken, negative given back. It takes from on hand first, so the line's last
 * `quantityBackordered` units are its backordered ones, and a line giving units back gives those first.
 */
export function backorderedUnits(line: OrderSnapshotLine, held: number, toHold: number): number {
  const backordered = line.quantityBackordered ?? 0;
  if (backordered === 0 || held === toHold) return 0;
  const firstBackordered = line.quantity - backordered;
  const [low, high] = held < toHold ? [held, toHold] : [toHold, held];
  const units = Math.max(0, Math.min(high, line.quantity) - Math.max(low, firstBackordered));
  return held < toHold ? units : -units;
}
