/**
 * An order as the stock engine needs it, read from BigCommerce by the webhook handlers (or the
 * reconcile job) through the store's connection. Statuses are BigCommerce's ids (reference §5.4).
 */
import type { OrderSnapshot, OrderSnapshotLine } from '../bigcommerce/index.ts';

export type { OrderSnapshot, OrderSnapshotLine };

export const ORDER_STATUS = {
  incomplete: 0,
  pending: 1,
  shipped: 2,
  partiallyShipped: 3,
  refunded: 4,
  cancelled: 5,
  declined: 6,
  awaitingPayment: 7,
  awaitingPickup: 8,
  awaitingShipment: 9,
  completed: 10,
  awaitingFulfillment: 11,
  manualVerificationRequired: 12,
  disputed: 13,
  partiallyRefunded: 14,
} as const;

const HOLDS_NOTHING: ReadonlySet<number> = new Set([ORDER_STATUS.incomplete, ORDER_STATUS.refunded, ORDER_STATUS.cancelled, ORDER_STATUS.declined]);

/** Whether an order in this status holds its lines' units (not incomplete, not called off). */
export function holdsUnits(statusId: number): boolean {
  return !HOLDS_NOTHING.has(statusId);
}

/**
 * The units an order line should hold now: none while the order is incomplete or called off, else what was
 * not refunded. An archived order keeps only what it shipped: those units left the warehouse, the rest are
 * owed to no one any more (README, "Archived orders").
 */
export function unitsToHold(statusId: number, line: Pick<OrderSnapshotLine, 'quantity' | 'quantityRefunded' | 'quantityShipped'>, archived = false): number {
  const owed = !holdsUnits(statusId) ? 0 : Math.max(0, line.quantity - line.quantityRefunded);
  if (!archived || isShipped(statusId, line)) return owed;
  return Math.min(owed, line.quantityShipped);
}

/** Whether the order line has left the warehouse. */
export function isShipped(statusId: number, line: Pick<OrderSnapshotLine, 'quantity' | 'quantityShipped'>): boolean {
  return statusId === ORDER_STATUS.shipped || statusId === ORDER_STATUS.completed || (line.quantity > 0 && line.quantityShipped >= line.quantity);
}
