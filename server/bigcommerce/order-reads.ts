/**
 * An order read after its event, shared by the events of one order that wait for it. BigCommerce sends
 * several events for one change — a status change is `store/order/updated` and `store/order/statusUpdated`,
 * a storefront order its creation and both of those as it leaves Incomplete — and each event's handler
 * reads the order: three requests of a Standard plan's 150 a window for one order. A read asked while one of
 * the same order is in flight waits for it, then goes with every other read asked meanwhile, as one request.
 * None takes the answer of a read that began before it was asked, which might predate its event: a read that
 * begins after an event was handed to its handler sees what the event reports. A lone read goes at once.
 */
import { groupCommit } from '../db/group-commit.ts';
import { bigcommerceReadsShared } from '../metrics/metrics.ts';
import type { OrderSnapshot } from './gateway.types.ts';

/** Reads the order (undefined when BigCommerce no longer has it): a store connection's own read. */
type ReadOne = (orderId: number) => Promise<OrderSnapshot | undefined>;

interface Ask {
  storeHash: string;
  orderId: number;
  read: ReadOne;
}

/** Reads one order of a store, together with the reads of the same order that wait; sharers get one snapshot, to read, not to change. */
export type OrderRead = (storeHash: string, orderId: number, read: ReadOne) => Promise<OrderSnapshot | undefined>;

/** One process's shared order reads: the gateway keeps one for every priority of connection it gives. */
export function coalescedOrderReads(): OrderRead {
  const read = groupCommit(
    async (asks: Ask[]) => {
      // Every ask of a group is the same order's: the first one's connection reads it for all.
      const order = await asks[0]!.read(asks[0]!.orderId);
      if (asks.length > 1) bigcommerceReadsShared.inc({ store: asks[0]!.storeHash, kind: 'order' }, asks.length - 1);
      return asks.map(() => order);
    },
    { groupOf: (ask) => `${ask.storeHash}:${ask.orderId}`, maxSize: Number.POSITIVE_INFINITY },
  );
  return (storeHash, orderId, readOne) => read({ storeHash, orderId, read: readOne });
}
