/**
 * An event as a domain's handler receives it, and readers of its data. Each domain exports the handlers of
 * the scopes it cares about; the workers' index wires them into the dispatcher (process-event.ts).
 */
import type { Envelope } from './envelope.ts';

export interface HandledEvent {
  eventId: number;
  storeHash: string;
  envelope: Envelope;
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
