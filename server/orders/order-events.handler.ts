/**
 * Order events: the order is read again from BigCommerce and converged (orders.service.ts). The orders of
 * a store read while one of its convergences runs wait and are converged together next, in one stock
 * change (group commit): a flash sale's orders of one product queue on no row lock, and selling and the
 * storefront's cache follow once per group rather than once per order.
 */
import { UnrecoverableError, type Queue } from 'bullmq';
import { numberAt, ORDER_SCOPES, type BigCommerceGateway, type EventHandler, type EventHandlers } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { groupCommit } from '../db/group-commit.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { queueOrderNote } from './order-note.jobs.ts';
import type { OrderSnapshot } from './order-snapshot.ts';
import { convergeOrder, convergeOrders, type OrderConvergence } from './orders.service.ts';

export interface OrderEventDeps {
  db: Db;
  gateway: Pick<BigCommerceGateway, 'connect'>;
  effects: StockEffects;
  queues: { orderNotes: Queue };
}

/** An order as read for one event; `readAt` orders the reads, so the latest of one order's reads wins. */
interface OrderRead {
  storeHash: string;
  order: OrderSnapshot;
  readAt: number;
}

/** Orders of one store converged together at most (one transaction). */
const MAX_GROUP = 50;

/**
 * Converges a group of one store's orders: each order once, from its latest read. Should the group's
 * change fail, each order is converged alone, so that one order's failure is its event's alone.
 */
async function convergeGroup(deps: OrderEventDeps, reads: OrderRead[]): Promise<Array<OrderConvergence | Error>> {
  const storeHash = reads[0]!.storeHash;
  const latest = new Map<number, OrderRead>();
  for (const read of reads) if ((latest.get(read.order.id)?.readAt ?? -1) < read.readAt) latest.set(read.order.id, read);
  const orders = [...latest.values()].map((read) => read.order);
  const stock = { db: deps.db, effects: deps.effects };
  let converged: Map<number, OrderConvergence | Error>;
  try {
    const outcomes = await convergeOrders(stock, storeHash, orders);
    converged = new Map(orders.map((order, i) => [order.id, outcomes[i]!]));
  } catch (error) {
    if (orders.length === 1) converged = new Map([[orders[0]!.id, error instanceof Error ? error : new Error(String(error))]]);
    else {
      converged = new Map();
      for (const order of orders) {
        converged.set(order.id, await convergeOrder(stock, storeHash, order).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
      }
    }
  }
  return reads.map((read) => converged.get(read.order.id)!);
}

/** The handler of every order scope: the order is read again and converged; its note follows. */
export function orderEventHandlers(deps: OrderEventDeps): EventHandlers {
  let reads = 0;
  const converge = groupCommit((group: OrderRead[]) => convergeGroup(deps, group), { groupOf: (read) => read.storeHash, maxSize: MAX_GROUP });
  const onOrder: EventHandler = async ({ storeHash, envelope }) => {
    const orderId = numberAt(envelope.data, 'id');
    if (orderId === undefined) throw new UnrecoverableError(`${envelope.scope} event without an order id`);
    const connection = await deps.gateway.connect(storeHash);
    const readAt = reads++;
    const order = await connection.order(orderId);
    if (!order) return 'ignored';
    // A stock change: selling and the storefront's cache follow it, a repeat delivery included.
    const converged = await converge({ storeHash, order, readAt });
    if (converged instanceof Error) throw converged;
    const { moved, items } = converged;
    if (items.length === 0) return;
    // The note is asked for again on a repeat too: the writer finds its marker (or nothing backordered) and stops.
    if (moved.length === 0 || moved.some((o) => o.backordered > 0)) await queueOrderNote(deps.queues.orderNotes, storeHash, orderId);
  };
  return Object.fromEntries(ORDER_SCOPES.map((scope) => [scope, onOrder]));
}
