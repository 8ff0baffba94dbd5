/**
 * BigCommerce's webhook events as the app's handlers receive them: the scopes the app listens to
 * (reference §6.1), grouped by what they are about, and readers of an event's data. Each domain exports the
 * handlers of the scopes it cares about; the workers' index wires them into the dispatcher
 * (webhooks/process-event.ts).
 */

/** Any change to an order: its lines, status and refunds. */
export const ORDER_SCOPES = [
  'store/order/created',
  'store/order/updated',
  'store/order/statusUpdated',
  'store/order/archived',
  'store/order/refund/created',
] as const;

/** A product's or variant's inventory level changed (sent only while BigCommerce tracks it). */
export const INVENTORY_SCOPES = [
  'store/product/inventory/updated',
  'store/product/inventory/order/updated',
  'store/sku/inventory/updated',
  'store/sku/inventory/order/updated',
] as const;

/**
 * A variant's own fields changed (its purchasing_disabled among them, which fires no product event): the
 * product is read again like after a level change, so the catalog mirror sees a variant the merchant disabled.
 */
export const VARIANT_UPDATED_SCOPE = 'store/sku/updated';

/** A product was created, changed or deleted; a variant (SKU) was added or deleted. */
export const CATALOG_SCOPES = ['store/product/created', 'store/product/updated', 'store/product/deleted', 'store/sku/created', 'store/sku/deleted'] as const;

/** The store was cancelled and the app removed with it. */
export const APP_UNINSTALLED_SCOPE = 'store/app/uninstalled';

/** A recorded delivery, as a handler receives it: the envelope says where to look, never what to do. */
export interface HandledEvent {
  /** The app's record of the delivery. */
  eventId: number;
  storeHash: string;
  envelope: { scope: string; data: Record<string, unknown> };
}

/** A handler converges the app on the resource the event names; 'ignored' when it concerns nothing the app keeps. */
export type EventHandler = (event: HandledEvent) => Promise<void | 'ignored'>;

/** Handlers by exact scope, e.g. `store/order/created`. */
export type EventHandlers = Readonly<Record<string, EventHandler>>;

/** The integer at `path` in the event's data; undefined when there is none. */
export function numberAt(data: Record<string, unknown>, ...path: string[]): number | undefined {
  let node: unknown = data;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'number' && Number.isInteger(node) ? node : undefined;
}

/** The product an inventory event is about: `data.inventory.product_id`, or `data.id` for product events. */
export function productIdOf(event: HandledEvent): number | undefined {
  const data = event.envelope.data;
  return numberAt(data, 'inventory', 'product_id') ?? numberAt(data, 'sku', 'product_id') ?? (data.type === 'product' ? numberAt(data, 'id') : undefined);
}
