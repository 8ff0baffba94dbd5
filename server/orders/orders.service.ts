/**
 * Orders converge. BigCommerce has already accepted an order — with tracking off it cannot refuse it — so
 * for every line of an assigned item the app computes the units the order should hold now, compares them
 * with what it already holds, and applies only the difference, as one stock change (`changeStock`, one
 * transaction): stock moves, the ledger records it, the backorder line grows or shrinks, waiting units are
 * rebalanced, and selling and the storefront follow the commit. A duplicate, late or out-of-order event
 * therefore changes nothing that is already true, and a snapshot older than the one last converged for its
 * order — read before a change another process, or reconcile, has converged since — moves nothing
 * (stale-snapshots.ts). The webhooks worker converges the orders of one store that arrive together in one
 * such change (`orderConvergence`): a hot item is locked once per batch; one order's events converge one
 * after another.
 */
import type { Db } from '../db/database.ts';
import { asError } from '../errors.ts';
import { groupCommit } from '../db/group-commit.ts';
import { keyedMutex } from '../db/keyed-lock.ts';
import { allocateByAge, archiveLines } from '../backorders/backorders.repo.ts';
import { overLimitUnits, staleOrderSnapshots } from '../metrics/metrics.ts';
import { changeStock, salableQty, type Moved, type StockDeps } from '../inventory/stock.service.ts';
import { isShipped, type OrderSnapshot } from './order-snapshot.ts';
import { heldRecord, lineKey, lockItemsAndLines, markLineShipped, unmarkLineShipped, type LockedLines } from './order-lines.repo.ts';
import {
  assertForeseen,
  foreseenMoves,
  growthsOf,
  heldNow,
  lineWork,
  moveKey,
  outcomesOf,
  shrinkLines,
  wasShipped,
  type LineOutcome,
  type LineWork,
} from './line-work.ts';
import { alreadyConverged, lockedLinesOf, targetsOf, type Target } from './order-targets.ts';
import { staleOrders } from './stale-snapshots.ts';

export type { LineOutcome };

export interface OrderConvergence {
  /** The lines whose held units changed in this run. */
  moved: LineOutcome[];
  /** Every item the order's lines hold from, moved or not, with its salable quantity now. */
  items: Array<{ itemId: number; salable: number }>;
}

/**
 * Converges every line of the order to the units it should hold, as one stock change: under the items'
 * locks each line is locked and takes (or gives back) the difference, then its backorder line grows or
 * shrinks by what the move did. Returns what moved and the items touched.
 */
export async function convergeOrder(deps: StockDeps, storeHash: string, order: OrderSnapshot): Promise<OrderConvergence> {
  return (await convergeOrders(deps, storeHash, [order]))[0]!;
}

/**
 * Converges several orders of one store, each exactly as `convergeOrder` would, with one stock change for those
 * that move stock: a burst of orders on a hot item locks it once and moves it in one statement, instead of
 * queueing for its lock one transaction at a time. Their moves apply in the order given (a later order's units
 * come after an earlier one's, as if converged one after another). The orders must be distinct.
 */
export async function convergeOrders(deps: StockDeps, storeHash: string, orders: readonly OrderSnapshot[]): Promise<OrderConvergence[]> {
  distinct(orders);
  const reads = await Promise.all(orders.map((order) => readOrder(deps.db, storeHash, order)));
  const settled = await Promise.all(reads.map((read) => withoutChange(deps, storeHash, read)));
  const moving = reads.filter((_, index) => settled[index] === undefined);
  const changed = moving.length > 0 ? await changeOrders(deps, storeHash, moving) : [];
  return settled.map((result) => result ?? changed.shift()!);
}

/** An order with its lines of assigned items, read outside any lock (in one statement): what converging it starts from. */
interface OrderRead {
  order: OrderSnapshot;
  targets: Target[];
  /** It has backordered lines and its note is not recorded as written. */
  noteOwed: boolean;
}

async function readOrder(db: Db, storeHash: string, order: OrderSnapshot): Promise<OrderRead> {
  return { order, ...(await targetsOf(db, storeHash, order)) };
}

/**
 * The convergence of an order that needs no stock change — none of its lines is of an assigned item, or it
 * already is what the app recorded (selling is then checked where the read found it out of step, as a change
 * that moved nothing would) — or undefined when it needs one.
 */
async function withoutChange(deps: StockDeps, storeHash: string, { order, targets }: OrderRead): Promise<OrderConvergence | undefined> {
  if (targets.length === 0) return { moved: [], items: [] };
  if (!alreadyConverged(order, targets)) return undefined;
  const salable = new Map(targets.map(({ itemId, recorded }) => [itemId, salableQty(recorded!.current_stock, recorded!.backorder_threshold)]));
  const outOfStep = new Set(targets.filter((target) => target.sellingOutOfStep).map((target) => target.itemId));
  if (outOfStep.size > 0) await deps.effects.check(storeHash, outOfStep);
  return { moved: [], items: [...salable].map(([itemId, value]) => ({ itemId, salable: value })) };
}

function distinct(orders: readonly OrderSnapshot[]): void {
  if (new Set(orders.map((o) => o.id)).size !== orders.length) throw new Error('convergeOrders: an order is given twice');
}

/** The orders' stock change: one transaction, their items locked once, their moves in the order given. */
async function changeOrders(deps: StockDeps, storeHash: string, reads: readonly OrderRead[]): Promise<OrderConvergence[]> {
  const lines: LineWork[] = [];
  const converging = reads.flatMap(({ order, targets }) => targets.map((target) => ({ order, target })));
  let held: LockedLines['lines'] = new Map();
  let stale = new Set<number>();
  let foreseen: Array<Moved | undefined> = [];
  const { items, recorded } = await changeStock(deps, storeHash, {
    reason: 'order',
    itemIds: [...new Set(converging.map(({ target }) => target.itemId))],
    async lock(trx, itemIds) {
      const locked = await lockItemsAndLines(
        trx,
        storeHash,
        itemIds,
        reads.flatMap(({ order, targets }) => lockedLinesOf(order, targets)),
      );
      held = locked.lines;
      return locked.items;
    },
    decide(_trx, items) {
      // A snapshot older than one already converged for its order (read by another process, or by reconcile,
      // before a change it then missed) moves none of its lines: it would undo the newer one's moves.
      stale = staleOrders(
        reads.map((read) => read.order),
        held.values(),
      );
      // A retired item (unassigned) no longer moves: its lines keep what they held, and were not locked.
      for (const { order, target } of converging) {
        if (stale.has(order.id)) continue;
        const [line, item] = [held.get(lineKey(order.id, target.line.orderProductId)), items.get(target.itemId)];
        if (line && item) lines.push(lineWork(order, target, line, item));
      }
      foreseen = foreseenMoves(lines, items);
      return lines.map((work) => ({
        itemId: work.held.item_id,
        stock: { by: work.held.held_qty - work.toHold },
        key: moveKey(work),
        orderId: work.order.id,
        line: { orderCreatedAt: work.order.createdAt, orderProductId: work.line.orderProductId },
        levelFollows: work.levelFollows,
        backordered: work.backordered,
      }));
    },
    // What the lines hold now and their backorder lines' growth go in with the move, as foreseen (nothing to
    // write when every line's item was released: no statement then).
    recordAlongside: () => (lines.length > 0 ? heldRecord(storeHash, heldNow(lines, foreseen), growthsOf(outcomesOf(lines, foreseen))) : undefined),
    async record(trx, moves) {
      assertForeseen(lines, moves, foreseen);
      const outcomes = outcomesOf(lines, moves);
      await shrinkLines(trx, storeHash, outcomes);
      // A line's shipped mark follows its order: set while it reads shipped, taken off once it no longer does —
      // then its allocated units not shipped are dealt again by order date, as an open line's are.
      for (const work of lines) {
        const { order, line, leaves, held } = work;
        if (leaves) continue;
        if (isShipped(order.statusId, line)) await markLineShipped(trx, storeHash, order.id, line.orderProductId);
        else if (wasShipped(work) && (await unmarkLineShipped(trx, storeHash, order.id, line.orderProductId)))
          await allocateByAge(trx, storeHash, held.item_id);
      }
      for (const { order } of reads) if (order.archived && !stale.has(order.id)) await archiveLines(trx, storeHash, order.id);
      return outcomes;
    },
  });
  const overCap = (recorded ?? []).reduce((units, { outcome }) => units + outcome.overCap, 0);
  if (overCap > 0) overLimitUnits.inc({ store: storeHash }, overCap);
  for (const { order } of reads.filter(({ order }) => stale.has(order.id)))
    deps.logger?.info(
      { storeHash, orderId: order.id, modifiedAt: order.modifiedAt, readAt: order.readAt },
      'order snapshot older than the one converged: skipped',
    );
  if (stale.size > 0) staleOrderSnapshots.inc({ store: storeHash }, stale.size);
  return reads.map(({ order, targets }) => ({
    moved: (recorded ?? []).filter((r) => r.orderId === order.id).map((r) => r.outcome),
    items: [...new Set(targets.map((t) => t.itemId))]
      .filter((itemId) => items.has(itemId))
      .map((itemId) => ({ itemId, salable: salableQty(items.get(itemId)!.stock, items.get(itemId)!.threshold) })),
  }));
}

/** An order event's convergence, and whether the order's note was owed (backordered lines, no note written) when its lines were read. */
export interface ConvergedOrder extends OrderConvergence {
  noteOwed: boolean;
}

/** Orders of one store changed together at most: a batch's lines are locked and written in one transaction. */
const BATCH = 100;

/**
 * `convergeOrder` for the order events of many stores at once (the webhooks worker's). Each order is read and,
 * when it already is what the app recorded, settled on its own; orders of one store that need a stock change
 * while the store's previous change is in flight wait for it, then go together (`changeOrders`), so that a
 * burst on a hot item is one transaction per batch rather than a queue of transactions at the item's lock; a
 * lone order goes at once. One order's convergences run one after another, so no batch holds an order twice.
 * Should a batch fail, each of its orders is converged alone, so that one order that cannot be converged fails alone.
 */
export function orderConvergence(deps: StockDeps): (storeHash: string, order: OrderSnapshot) => Promise<ConvergedOrder> {
  type Call = { storeHash: string; read: OrderRead };
  const alone = (call: Call) => changeOrders(deps, call.storeHash, [call.read]).then(([result]) => result!, asError);
  const change = groupCommit(
    (calls: Call[]) =>
      changeOrders(
        deps,
        calls[0]!.storeHash,
        calls.map((call) => call.read),
      ).catch(async (error: unknown): Promise<Array<OrderConvergence | Error>> => (calls.length === 1 ? [asError(error)] : Promise.all(calls.map(alone)))),
    { groupOf: (call) => call.storeHash, concurrency: 1, maxSize: BATCH },
  );
  const converge = async (storeHash: string, order: OrderSnapshot): Promise<ConvergedOrder> => {
    const read = await readOrder(deps.db, storeHash, order);
    return { ...((await withoutChange(deps, storeHash, read)) ?? (await change({ storeHash, read }))), noteOwed: read.noteOwed };
  };
  // One order's convergences run one after another: BigCommerce sends an order's events together, and one read
  // while another's change was in flight would take a transaction of its own to find nothing left to move;
  // run after it, its read finds the order converged.
  const oneAtATime = keyedMutex();
  return (storeHash, order) => oneAtATime.run(`${storeHash}/${order.id}`, () => converge(storeHash, order));
}
