/**
 * Orders converge. BigCommerce has already accepted an order — with tracking off it cannot refuse it — so
 * for every line of an assigned item the app computes the units the order should hold now, compares them
 * with what it already holds, and applies only the difference, as one stock change (`changeStock`, one
 * transaction): stock moves, the ledger records it, the backorder line grows or shrinks, waiting units are
 * rebalanced, and selling and the storefront follow the commit. A duplicate, late or out-of-order event
 * therefore changes nothing that is already true. The webhooks worker converges the orders of one store that
 * arrive together in one such change (`orderConvergence`): a hot item is locked once per batch; one order's
 * events converge one after another.
 */
import type { Db } from '../db/database.ts';
import { asError } from '../errors.ts';
import { groupCommit } from '../db/group-commit.ts';
import { keyedMutex } from '../db/keyed-lock.ts';
import type { OrderLine } from '../db/schema.ts';
import { archiveLines, shrinkLine, type LineGrowth } from '../backorders/backorders.repo.ts';
import { overLimitUnits } from '../metrics/metrics.ts';
import { changeStock, salableQty, type LockedItem, type Moved, type StockDeps } from '../inventory/stock.service.ts';
import { backorderedUnits, levelFollows, predates } from './level-follows.ts';
import { isShipped, unitsToHold, type OrderSnapshot, type OrderSnapshotLine } from './order-snapshot.ts';
import {
  heldRecord,
  lockItemsAndLines,
  markLineShipped,
  targetLines,
  type HeldNow,
  type LockedLines,
  type NewOrderLine,
  type TargetLine,
} from './order-lines.repo.ts';

export interface LineOutcome {
  orderProductId: number;
  itemId: number;
  /** Units taken (positive) or given back (negative) by this convergence. */
  taken: number;
  fromStock: number;
  backordered: number;
  overCap: number;
  stockAfter: number;
  /** Salable quantity before and after; Infinity when unlimited. */
  salableBefore: number;
  salableAfter: number;
}

export interface OrderConvergence {
  /** The lines whose held units changed in this run. */
  moved: LineOutcome[];
  /** Every item the order's lines hold from, moved or not, with its salable quantity now. */
  items: Array<{ itemId: number; salable: number }>;
}

/** An order line of an assigned item, with the item it holds from (and how the app recorded it, if it did). */
interface Target extends TargetLine {
  line: OrderSnapshotLine;
}

/**
 * Whether the order already is what the app recorded: every line known, holding what it should, with the
 * same quantity and status, nothing shipped or archived. BigCommerce sends several events for one order (and
 * one more for the note the app writes into it); such a repeat has nothing to move, so it takes no lock.
 * Read outside the items' locks, a "yes" is what the stock change would have found at that instant.
 */
function alreadyConverged(order: OrderSnapshot, targets: readonly Target[]): boolean {
  if (order.archived) return false;
  return targets.every(({ line, recorded: held }) => {
    if (!held || held.retired_at !== null || isShipped(order.statusId, line)) return false;
    const toHold = held.predates_assignment ? 0 : unitsToHold(order.statusId, line, order.archived);
    return held.held_qty === toHold && held.ordered_qty === line.quantity && held.order_status_id === order.statusId;
  });
}

/**
 * Lines of assigned items (or lines the app already holds), in item-id order so that concurrent deliveries of
 * the order lock its lines alike; and whether the order's note is owed.
 */
async function targetsOf(db: Db, storeHash: string, order: OrderSnapshot): Promise<{ targets: Target[]; noteOwed: boolean }> {
  const { lines, noteOwed } = await targetLines(db, storeHash, order.id, order.lines);
  const found = new Map(lines.map((target) => [target.orderProductId, target]));
  const targets = order.lines.flatMap((line): Target[] => {
    const target = found.get(line.orderProductId);
    return target ? [{ ...target, line }] : [];
  });
  return { targets: targets.sort((a, b) => a.itemId - b.itemId || a.line.orderProductId - b.line.orderProductId), noteOwed };
}

/**
 * What one line's move means: units taken beyond stock are backordered (those beyond the salable quantity at
 * that instant over the cap) and grow its backorder line; units given back shrink it.
 */
function outcomeOf(work: LineWork, move: Moved): LineOutcome {
  const taken = move.before - move.after;
  const salableBefore = salableQty(move.before, work.threshold);
  const fromStock = taken > 0 ? Math.max(0, Math.min(move.before, taken)) : 0;
  return {
    orderProductId: work.line.orderProductId,
    itemId: work.held.item_id,
    taken,
    fromStock,
    backordered: taken > 0 ? taken - fromStock : 0,
    overCap: taken > 0 ? Math.max(0, taken - Math.max(0, salableBefore)) : 0,
    stockAfter: move.after,
    salableBefore,
    salableAfter: salableQty(move.after, work.threshold),
  };
}

/** The lines' outcomes, of those that moved. */
function outcomesOf(lines: readonly LineWork[], moves: ReadonlyArray<Moved | undefined>) {
  return lines.flatMap((work, index) => {
    const move = moves[index];
    return move ? [{ work, orderId: work.order.id, outcome: outcomeOf(work, move) }] : [];
  });
}

/**
 * The moves the lines' changes make, foreseen from their locked items: each line's units from its item's stock
 * as the lines before it leave it (stock-moves.repo applies an item's several changes in order); none for a
 * line whose units stay.
 */
function foreseenMoves(lines: readonly LineWork[], items: ReadonlyMap<number, LockedItem>): Array<Moved | undefined> {
  const stock = new Map<number, number>();
  return lines.map(({ held, toHold }, index) => {
    const units = held.held_qty - toHold;
    if (units === 0) return undefined;
    const before = stock.get(held.item_id) ?? items.get(held.item_id)!.current_stock;
    stock.set(held.item_id, before + units);
    return { index, itemId: held.item_id, before, after: before + units };
  });
}

/**
 * The moves are what was foreseen, or nothing is recorded: what the lines hold went in with the move as
 * foreseen. A move left out because the ledger already holds its key cannot be an order's (its key carries
 * the line's version, bumped in the same transaction), so a difference means the numbers cannot be trusted.
 */
function assertForeseen(lines: readonly LineWork[], moves: ReadonlyArray<Moved | undefined>, foreseen: ReadonlyArray<Moved | undefined>): void {
  lines.forEach(({ order, line }, index) => {
    const [move, expected] = [moves[index], foreseen[index]];
    if (move?.before === expected?.before && move?.after === expected?.after) return;
    throw new Error(
      `order ${order.id}, line ${line.orderProductId}: stock moved ${JSON.stringify(move)} where ${JSON.stringify(expected)} was foreseen under its item's lock; nothing was recorded`,
    );
  });
}

/** What each line holds now; its next move's key is new when its units moved. */
function heldNow(lines: readonly LineWork[], moves: ReadonlyArray<Moved | undefined>): HeldNow[] {
  return lines.map(({ order, line, toHold }, index) => ({
    orderId: order.id,
    orderProductId: line.orderProductId,
    heldQty: toHold,
    orderedQty: line.quantity,
    orderStatusId: order.statusId,
    bumpVersion: moves[index] !== undefined,
  }));
}

/** Units given back shrink each line's backorder line, one statement a line (rare: a cancellation, an edit). */
async function shrinkLines(trx: Db, storeHash: string, moved: ReadonlyArray<{ work: LineWork; outcome: LineOutcome }>): Promise<void> {
  for (const { work, outcome } of moved.filter((m) => m.outcome.taken < 0)) {
    await shrinkLine(trx, storeHash, work.order.id, work.line.orderProductId, -outcome.taken, work.toHold);
  }
}

/** Units taken grow the lines' backorder lines (recorded with what the lines hold, `heldRecord`). */
function growthsOf(moved: ReadonlyArray<{ work: LineWork; outcome: LineOutcome }>): LineGrowth[] {
  return moved
    .filter((m) => m.outcome.taken > 0)
    .map(({ work: { order, line, held }, outcome }) => ({
      orderId: order.id,
      orderProductId: line.orderProductId,
      itemId: held.item_id,
      productId: line.productId,
      variantId: line.variantId,
      sku: line.sku,
      productName: line.name,
      orderedQty: line.quantity,
      orderCreatedAt: order.createdAt,
      fromStock: outcome.fromStock,
      previouslyHeld: held.held_qty,
      backordered: outcome.backordered,
      overCap: outcome.overCap,
    }));
}

/** An order line being converged, as locked: its order, what it held, what it should hold now, its item's threshold. */
interface LineWork extends Target {
  order: OrderSnapshot;
  held: OrderLine;
  toHold: number;
  threshold: number | null;
  /** Strict limit mode: BigCommerce moved the item's level by the same units itself. */
  levelFollows: boolean;
  /** Of those units, the ones BigCommerce moved as backordered (native backorders). */
  backordered: number;
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
  let held: LockedLines['lines'] = [];
  let foreseen: Array<Moved | undefined> = [];
  const { items, recorded } = await changeStock(deps, storeHash, {
    reason: 'order',
    itemIds: [...new Set(converging.map(({ target }) => target.itemId))],
    async lock(trx, itemIds) {
      const locked = await lockItemsAndLines(
        trx,
        storeHash,
        itemIds,
        converging.map(({ order, target }) => newLine(order, target)),
      );
      held = locked.lines;
      return locked.items;
    },
    decide(_trx, items) {
      // A retired item (unassigned) no longer moves: its lines keep what they held, and were not locked.
      converging.forEach(({ order, target }, index) => {
        const [line, item] = [held[index], items.get(target.itemId)];
        if (line && item) lines.push(lineWork(order, target, line, item));
      });
      foreseen = foreseenMoves(lines, items);
      return lines.map(({ order, line, held, toHold, levelFollows, backordered }) => ({
        itemId: held.item_id,
        stock: { by: held.held_qty - toHold },
        key: `order:${order.id}:${line.orderProductId}:v${held.version + 1}`,
        orderId: order.id,
        levelFollows,
        backordered,
      }));
    },
    // What the lines hold now and their backorder lines' growth go in with the move, as foreseen (nothing to
    // write when every line's item was released: no statement then).
    recordAlongside: () => (lines.length > 0 ? heldRecord(storeHash, heldNow(lines, foreseen), growthsOf(outcomesOf(lines, foreseen))) : undefined),
    async record(trx, moves) {
      assertForeseen(lines, moves, foreseen);
      const outcomes = outcomesOf(lines, moves);
      await shrinkLines(trx, storeHash, outcomes);
      for (const { order, line } of lines) if (isShipped(order.statusId, line)) await markLineShipped(trx, storeHash, order.id, line.orderProductId);
      for (const { order } of reads) if (order.archived) await archiveLines(trx, storeHash, order.id);
      return outcomes;
    },
  });
  const overCap = (recorded ?? []).reduce((units, { outcome }) => units + outcome.overCap, 0);
  if (overCap > 0) overLimitUnits.inc({ store: storeHash }, overCap);
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

/** The order line as a row to create, holding nothing, unless it exists. */
function newLine(order: OrderSnapshot, target: Target): NewOrderLine {
  return {
    orderId: order.id,
    orderProductId: target.line.orderProductId,
    itemId: target.itemId,
    productId: target.line.productId,
    variantId: target.line.variantId,
    sku: target.line.sku,
    productName: target.line.name,
    orderedQty: target.line.quantity,
    orderStatusId: order.statusId,
    orderCreatedAt: order.createdAt,
    predatesAssignment: predates(order.createdAt, target.assignedAt),
  };
}

/** What a locked order line should hold now, and what that means for its item. */
function lineWork(order: OrderSnapshot, target: Target, held: OrderLine, item: LockedItem): LineWork {
  const toHold = held.predates_assignment ? 0 : unitsToHold(order.statusId, target.line, order.archived);
  const follows = levelFollows(order, item, target.line, toHold - held.held_qty);
  const backordered = follows ? backorderedUnits(target.line, held.held_qty, toHold) : 0;
  return { ...target, order, held, threshold: item.backorder_threshold, toHold, levelFollows: follows, backordered };
}
