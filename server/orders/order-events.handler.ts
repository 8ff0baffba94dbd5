/** Order events: the order is read again from BigCommerce and converged (orders.service.ts). */
import { UnrecoverableError, type Queue } from 'bullmq';
import { numberAt, ORDER_SCOPES, type BigCommerceGateway, type EventHandler, type EventHandlers } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { queueSellingChecks } from '../selling/selling.jobs.ts';
import { queueOrderNote } from './order-note.jobs.ts';
import { convergeOrder } from './orders.service.ts';

export interface OrderEventDeps {
  db: Db;
  gateway: Pick<BigCommerceGateway, 'connect'>;
  effects: StockEffects;
  queues: { selling: Queue; orderNotes: Queue };
}

/** The handler of every order scope: the order is read again and converged; selling and its note follow. */
export function orderEventHandlers(deps: OrderEventDeps): EventHandlers {
  const { effects } = deps;
  const onOrder: EventHandler = async ({ storeHash, envelope }) => {
    const orderId = numberAt(envelope.data, 'id');
    if (orderId === undefined) throw new UnrecoverableError(`${envelope.scope} event without an order id`);
    const connection = await deps.gateway.connect(storeHash);
    const order = await connection.order(orderId);
    if (!order) return 'ignored';
    const { moved, items } = await convergeOrder(deps.db, storeHash, order);
    if (items.length === 0) return;
    // Selling is checked where the salable quantity crossed 0, and for every item at or below 0 even when
    // nothing moved now: a repeat delivery is how a run that died after its commit (or a check that failed
    // for good) gets finished. A check with nothing to do reads one row. Only a move changes what shoppers
    // see, so only a move drops the storefront's cached answers.
    const crossed = moved.filter((o) => o.salableBefore > 0 !== o.salableAfter > 0).map((o) => o.itemId);
    const atLimit = items.filter((i) => i.salable <= 0).map((i) => i.itemId);
    if (moved.length > 0) await effects.changed(storeHash, [...crossed, ...atLimit]);
    else await queueSellingChecks(deps.queues.selling, storeHash, atLimit);
    // Likewise the note: on a repeat the writer finds its marker (or nothing backordered) and stops.
    if (moved.length === 0 || moved.some((o) => o.backordered > 0)) await queueOrderNote(deps.queues.orderNotes, storeHash, orderId);
  };
  return Object.fromEntries(ORDER_SCOPES.map((scope) => [scope, onOrder]));
}
