/** Order events: the order is read again from BigCommerce and converged (orders.service.ts). */
import { UnrecoverableError, type Queue } from 'bullmq';
import { numberAt, ORDER_SCOPES, type BigCommerceGateway, type EventHandler, type EventHandlers, type OrderSnapshot } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import type { Logger } from '../logger.ts';
import { queueOrderNote } from './order-note.jobs.ts';
import { orderConvergence } from './orders.service.ts';

export interface OrderEventDeps {
  db: Db;
  gateway: Pick<BigCommerceGateway, 'connect'>;
  effects: StockEffects;
  queues: { orderNotes: Queue };
  /** Where an order's snapshot skipped as older than the one converged is told. */
  logger?: Logger;
}

/**
 * The handler of every order scope: the order is read again and converged; its note follows. Events given
 * one snapshot (their reads went as one request, bigcommerce/shared-reads.ts: a storefront order's creation
 * and its status updates arrive together) converge it once: the first converges it and asks for the note,
 * the others, handed it in the same moment, wait for that and share its outcome, a failure included.
 * Converging the same snapshot again would find nothing to do, at the cost of a statement.
 */
export function orderEventHandlers(deps: OrderEventDeps): EventHandlers {
  const { effects } = deps;
  const convergeOrder = orderConvergence({ db: deps.db, effects, logger: deps.logger });
  // The snapshots being converged: a later event, read after, converges its own.
  const converging = new Map<OrderSnapshot, Promise<void>>();
  const converge = async (storeHash: string, order: OrderSnapshot) => {
    // A stock change: selling and the storefront's cache follow it, a repeat delivery included.
    const { moved, items, noteOwed } = await convergeOrder(storeHash, order);
    if (items.length === 0) return;
    // A repeat asks for the note while it is owed (units backordered, the note not recorded as written): a
    // note job lost on the way is asked for by the next delivery; the order's own echo of the note
    // (BigCommerce sends an update for it) and the repeats of an order that backordered nothing ask for
    // none. The read of the order's lines has said which.
    const asked = moved.length === 0 ? noteOwed : moved.some((o) => o.backordered > 0);
    if (asked) await queueOrderNote(deps.queues.orderNotes, storeHash, order.id);
  };
  const onOrder: EventHandler = async ({ storeHash, envelope }) => {
    const orderId = numberAt(envelope.data, 'id');
    if (orderId === undefined) throw new UnrecoverableError(`${envelope.scope} event without an order id`);
    const connection = await deps.gateway.connect(storeHash);
    const order = await connection.order(orderId);
    if (!order) return 'ignored';
    let convergence = converging.get(order);
    if (!convergence) {
      convergence = converge(storeHash, order).finally(() => converging.delete(order));
      converging.set(order, convergence);
    }
    await convergence;
  };
  return Object.fromEntries(ORDER_SCOPES.map((scope) => [scope, onOrder]));
}
