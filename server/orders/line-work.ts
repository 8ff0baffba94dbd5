/**
 * One order line's part in an order's stock change, under its item's lock: what it holds and should hold,
 * the move that makes the difference as foreseen from the locked item, and what that move means for the
 * line's own rows (what it holds, its backorder line).
 */
import type { Db } from '../db/database.ts';
import type { OrderLine } from '../db/schema.ts';
import { shrinkLine, type LineGrowth } from '../backorders/backorders.repo.ts';
import { salableQty, type LockedItem, type Moved } from '../inventory/stock.service.ts';
import { backorderedUnits, levelFollows, predatesAssignment } from './level-follows.ts';
import { isShipped, unitsToHold, type OrderSnapshot } from './order-snapshot.ts';
import { lineKey, type HeldNow } from './order-lines.repo.ts';
import type { Target } from './order-targets.ts';

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

/** An order line's part being converged, as locked: its order, what it held, what it should hold now, its item's threshold. */
export interface LineWork extends Target {
  order: OrderSnapshot;
  /** The line as recorded, on this item (one arriving from another item holds nothing here yet). */
  held: OrderLine;
  /** The line moved here from the item it was recorded on (its product or variant changed). */
  arrives: boolean;
  toHold: number;
  threshold: number | null;
  /** Strict limit mode: BigCommerce moved the item's level by the same units itself. */
  levelFollows: boolean;
  /** Of those units, the ones BigCommerce moved as backordered (native backorders). */
  backordered: number;
}

/** The line as it starts on an item it moved to: holding nothing there, of an order placed before or after its assignment. */
function arrivedOn(row: OrderLine, order: OrderSnapshot, target: Target): OrderLine {
  const predates = target.assignedAt !== undefined && predatesAssignment(order.createdAt, target.assignedAt);
  return { ...row, item_id: target.itemId, held_qty: 0, predates_assignment: predates };
}

/** What a locked order line should hold now on the target's item, and what that means for the item. */
export function lineWork(order: OrderSnapshot, target: Target, row: OrderLine, item: LockedItem): LineWork {
  const arrives = row.item_id !== target.itemId;
  const held = arrives ? arrivedOn(row, order, target) : row;
  const toHold = held.predates_assignment ? 0 : unitsToHold(order.statusId, target.line, order.archived);
  const follows = levelFollows(order, item, target.line, toHold - held.held_qty, held.ordered_qty);
  const backordered = follows ? backorderedUnits(target.line, held.held_qty, toHold) : 0;
  return { ...target, order, held, arrives, threshold: item.backorder_threshold, toHold, levelFollows: follows, backordered };
}

/** The key of the part's move: the line's next version, and — for the part an edit took off an item — that item. */
export function moveKey({ order, line, held, leaves }: LineWork): string {
  return `order:${order.id}:${line.orderProductId}:v${held.version + 1}${leaves ? `:left${held.item_id}` : ''}`;
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
export function outcomesOf(lines: readonly LineWork[], moves: ReadonlyArray<Moved | undefined>) {
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
export function foreseenMoves(lines: readonly LineWork[], items: ReadonlyMap<number, LockedItem>): Array<Moved | undefined> {
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
export function assertForeseen(lines: readonly LineWork[], moves: ReadonlyArray<Moved | undefined>, foreseen: ReadonlyArray<Moved | undefined>): void {
  lines.forEach(({ order, line }, index) => {
    const [move, expected] = [moves[index], foreseen[index]];
    if (move?.before === expected?.before && move?.after === expected?.after) return;
    throw new Error(
      `order ${order.id}, line ${line.orderProductId}: stock moved ${JSON.stringify(move)} where ${JSON.stringify(expected)} was foreseen under its item's lock; nothing was recorded`,
    );
  });
}

/**
 * What each line holds now, once per line: on the item it holds from now (where one that moved is recorded
 * from now on), or — one that left the order or the items the app holds — nothing, where it was. Its next
 * move's key is new when any of its units moved.
 */
export function heldNow(lines: readonly LineWork[], moves: ReadonlyArray<Moved | undefined>): HeldNow[] {
  const byLine = new Map<string, HeldNow>();
  lines.forEach((work, index) => {
    const { order, line, held, toHold, leaves, arrives } = work;
    const key = lineKey(order.id, line.orderProductId);
    const earlier = byLine.get(key);
    const bumpVersion = moves[index] !== undefined || earlier?.bumpVersion === true;
    if (earlier && leaves) {
      earlier.bumpVersion = bumpVersion;
      return;
    }
    const movedTo = arrives ? { itemId: held.item_id, productId: line.productId, predatesAssignment: held.predates_assignment } : undefined;
    byLine.set(key, {
      orderId: order.id,
      orderProductId: line.orderProductId,
      heldQty: toHold,
      orderedQty: line.quantity,
      orderStatusId: order.statusId,
      shippedQty: line.quantityShipped,
      bumpVersion,
      snapshot: order,
      described: { variantId: line.variantId, sku: line.sku, productName: line.name },
      ...(movedTo ? { movedTo } : {}),
    });
  });
  return [...byLine.values()];
}

/** Whether the line read shipped when the app last recorded it on this item (then its backorder line was marked so). */
export function wasShipped({ held, arrives }: LineWork): boolean {
  return !arrives && isShipped(held.order_status_id, { quantity: held.ordered_qty, quantityShipped: held.shipped_qty });
}

/** Units given back shrink each line's backorder line on the item, one statement a line (rare: a cancellation, an edit). */
export async function shrinkLines(trx: Db, storeHash: string, moved: ReadonlyArray<{ work: LineWork; outcome: LineOutcome }>): Promise<void> {
  for (const { work, outcome } of moved.filter((m) => m.outcome.taken < 0)) {
    const line = { orderId: work.order.id, orderProductId: work.line.orderProductId, itemId: work.held.item_id, orderedQty: work.line.quantity };
    await shrinkLine(trx, storeHash, line, -outcome.taken, work.toHold);
  }
}

/** Units taken grow the lines' backorder lines (recorded with what the lines hold, `heldRecord`). */
export function growthsOf(moved: ReadonlyArray<{ work: LineWork; outcome: LineOutcome }>): LineGrowth[] {
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
      previouslyShipped: held.shipped_qty,
      backordered: outcome.backordered,
      overCap: outcome.overCap,
    }));
}
