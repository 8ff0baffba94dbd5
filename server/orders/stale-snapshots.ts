/**
 * Snapshots of one order converged out of order. Within a process one order's reads are shared and its
 * convergences run one after another, but several worker processes, and reconcile, each read and converge
 * the order on their own: a read begun earlier can reach its stock change after a later read's, and would
 * then undo it (an order read while still Incomplete giving back the units it holds now). So each order line
 * records the version of the snapshot that last wrote it, and under the lines' locks a snapshot older than
 * the newest version recorded on its order's lines converges nothing. Every change of an order sends an event
 * whose read begins after it: the newest read is converged in the end.
 */
import type { OrderLine } from '../db/schema.ts';
import type { SnapshotVersion } from './order-lines.repo.ts';
import type { OrderSnapshot } from './order-snapshot.ts';

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Whether the snapshot is older than the one that wrote the line: BigCommerce modified the order earlier
 * (`date_modified` has seconds only), or in the same second and the read began earlier. A line written
 * before versions were recorded refuses none.
 */
export function olderThanLine(snapshot: SnapshotVersion, line: Pick<OrderLine, 'snapshot_modified_at' | 'snapshot_read_at'>): boolean {
  if (line.snapshot_modified_at === null || line.snapshot_read_at === null) return false;
  const byModified = seconds(snapshot.modifiedAt) - seconds(line.snapshot_modified_at);
  return byModified < 0 || (byModified === 0 && snapshot.readAt.getTime() < line.snapshot_read_at.getTime());
}

/** The ids of the orders whose snapshot is older than one recorded on any of their locked lines. */
export function staleOrders(orders: readonly OrderSnapshot[], lines: Iterable<OrderLine>): Set<number> {
  const byId = new Map(orders.map((order) => [order.id, order]));
  const stale = new Set<number>();
  for (const line of lines) {
    const order = byId.get(line.order_id);
    if (order && olderThanLine(order, line)) stale.add(order.id);
  }
  return stale;
}
