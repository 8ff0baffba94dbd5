/**
 * Reads of BigCommerce made again after an event, shared by the events of the moment. Reads that come while
 * one of their group is in flight wait for it and then go together, as one request; none takes the answer of
 * a read that began before it was asked, which might predate its event — a read that begins after an event
 * was handed to its handler sees what the event reports. A lone read goes at once, so a quiet moment pays no
 * delay. Every request saved is counted (`backorder_bigcommerce_reads_shared_total`).
 *
 * - Products, per store: an import of thousands of products into BigCommerce (an ERP's feed, a bulk edit)
 *   sends an event for each; one request each would spend the store's API budget (150 requests per 30 s on
 *   Standard plans) for many minutes, the orders' reads waiting behind them. They go up to 250 a request (`id:in`).
 * - Orders, per order: BigCommerce sends several events for one change — a status change is
 *   `store/order/updated` and `store/order/statusUpdated`, a storefront order its creation and both of those
 *   as it leaves Incomplete — and each event's handler reads the order.
 */
import { groupCommit } from '../db/group-commit.ts';
import { bigcommerceReadsShared } from '../metrics/metrics.ts';
import type { CatalogProduct } from './catalog.types.ts';
import type { OrderSnapshot } from './gateway.types.ts';
import { MAX_PAGE_SIZE } from './paginate.ts';

/**
 * Asks of one kind answered together: `group` names the asks one request may answer, `read` answers a group's
 * asks (each given with the first one's connection), one result an ask, in order.
 */
function sharedRead<A extends { storeHash: string }, R>(
  kind: 'product' | 'order',
  read: (asks: A[]) => Promise<R[]>,
  options: { group: (ask: A) => string; maxSize: number },
): (ask: A) => Promise<R> {
  return groupCommit(
    async (asks: A[]) => {
      const results = await read(asks);
      if (asks.length > 1) bigcommerceReadsShared.inc({ store: asks[0]!.storeHash, kind }, asks.length - 1);
      return results;
    },
    { groupOf: options.group, maxSize: options.maxSize },
  );
}

/** Reads the given products with their variants (deleted ones absent): a store connection's `productsByIds`. */
type ReadProducts = (productIds: readonly number[]) => Promise<CatalogProduct[]>;

/** Reads one product of a store (undefined when it was deleted), together with the same store's reads that wait. */
export type ProductRead = (storeHash: string, productId: number, readMany: ReadProducts) => Promise<CatalogProduct | undefined>;

export function coalescedProductReads(): ProductRead {
  type Ask = { storeHash: string; productId: number; readMany: ReadProducts };
  const read = sharedRead(
    'product',
    async (asks: Ask[]) => {
      const found = new Map((await asks[0]!.readMany(asks.map((ask) => ask.productId))).map((product) => [product.id, product]));
      return asks.map((ask) => found.get(ask.productId));
    },
    { group: (ask) => ask.storeHash, maxSize: MAX_PAGE_SIZE },
  );
  return (storeHash, productId, readMany) => read({ storeHash, productId, readMany });
}

/** Reads the order (undefined when BigCommerce no longer has it): a store connection's own read. */
type ReadOrder = (orderId: number) => Promise<OrderSnapshot | undefined>;

/** Reads one order of a store, together with the reads of the same order that wait; sharers get one snapshot, to read, not to change. */
export type OrderRead = (storeHash: string, orderId: number, read: ReadOrder) => Promise<OrderSnapshot | undefined>;

export function coalescedOrderReads(): OrderRead {
  type Ask = { storeHash: string; orderId: number; read: ReadOrder };
  const read = sharedRead(
    'order',
    async (asks: Ask[]) => {
      const order = await asks[0]!.read(asks[0]!.orderId);
      return asks.map(() => order);
    },
    { group: (ask) => `${ask.storeHash}:${ask.orderId}`, maxSize: Number.POSITIVE_INFINITY },
  );
  return (storeHash, orderId, readOne) => read({ storeHash, orderId, read: readOne });
}

/** Reads that the connections of one process share: the gateway keeps one set for every priority of connection it gives. */
export interface SharedReads {
  product: ProductRead;
  order: OrderRead;
}

export function sharedReads(): SharedReads {
  return { product: coalescedProductReads(), order: coalescedOrderReads() };
}
