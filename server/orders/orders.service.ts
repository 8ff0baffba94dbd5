/**
 * Orders converge. BigCommerce has already accepted an order — with tracking off it cannot refuse it — so
 * for every line of an assigned item the app computes the units the order should hold now, compares them
 * with what it already holds, and applies only the difference, as one stock change (`changeStock`, one
 * transaction): stock moves, the ledger records it, the backorder line grows or shrinks, waiting units are
 * rebalanced, and selling and the storefront follow the commit. A duplicate, late or out-of-order event
 * therefore changes nothing that is already true.
 */
import type { Db } from '../db/database.ts';
import type { OrderLine } from '../db/schema.ts';
import { archiveLines, growLine, shrinkLine } from '../backorders/backorders.repo.ts';
import { overLimitUnits } from '../metrics/metrics.ts';
import { changeStock, followChange, salableQty, type Moved, type StockDeps } from '../inventory/stock.service.ts';
import { backorderedUnits, levelFollows, predates } from './level-follows.ts';
import { isShipped, unitsToHold, type OrderSnapshot, type OrderSnapshotLine } from './order-snapshot.ts';
import { lockOrderLine, markLineShipped, targetLines, updateHeld, type TargetLine } from './order-lines.repo.ts';

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

/** Lines of assigned items (or lines the app already holds), in item-id order so that concurrent deliveries of the order lock its lines alike. */
async function targetsOf(db: Db, storeHash: string, order: OrderSnapshot): Promise<Target[]> {
  const found = new Map((await targetLines(db, storeHash, order.id, order.lines)).map((target) => [target.orderProductId, target]));
  const targets = order.lines.flatMap((line): Target[] => {
    const target = found.get(line.orderProductId);
    return target ? [{ ...target, line }] : [];
  });
  return targets.sort((a, b) => a.itemId - b.itemId || a.line.orderProductId - b.line.orderProductId);
}

/**
 * What one line's move means for its backorder line: units taken beyond stock are backordered (those beyond
 * the salable quantity at that instant over the cap) and grow it; units given back shrink it.
 */
async function recordLine(trx: Db, storeHash: string, order: OrderSnapshot, work: LineWork, move: Moved): Promise<LineOutcome> {
  const { line, held, threshold } = work;
  const taken = move.before - move.after;
  const salableBefore = salableQty(move.before, threshold);
  const fromStock = taken > 0 ? Math.max(0, Math.min(move.before, taken)) : 0;
  const backordered = taken > 0 ? taken - fromStock : 0;
  const overCap = taken > 0 ? Math.max(0, taken - Math.max(0, salableBefore)) : 0;
  if (taken > 0) {
    await growLine(trx, {
      storeHash,
      orderId: order.id,
      orderProductId: line.orderProductId,
      itemId: held.item_id,
      productId: line.productId,
      variantId: line.variantId,
      sku: line.sku,
      productName: line.name,
      orderedQty: line.quantity,
      orderCreatedAt: order.createdAt,
      fromStock,
      previouslyHeld: held.held_qty,
      backordered,
      overCap,
    });
  } else {
    await shrinkLine(trx, storeHash, order.id, line.orderProductId, -taken, work.toHold);
  }
  return {
    orderProductId: line.orderProductId,
    itemId: held.item_id,
    taken,
    fromStock,
    backordered,
    overCap,
    stockAfter: move.after,
    salableBefore,
    salableAfter: salableQty(move.after, threshold),
  };
}

/** An order line being converged, as locked: what it held, what it should hold now, its item's threshold. */
interface LineWork extends Target {
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
  const targets = await targetsOf(deps.db, storeHash, order);
  if (targets.length === 0) return { moved: [], items: [] };
  if (alreadyConverged(order, targets)) {
    const itemIds = [...new Set(targets.map((t) => t.itemId))];
    // As a stock change that moved nothing would: selling is checked where it is out of step.
    await followChange(deps, storeHash, { changed: [], unchanged: itemIds });
    const salable = new Map(targets.map(({ itemId, recorded }) => [itemId, salableQty(recorded!.current_stock, recorded!.backorder_threshold)]));
    return { moved: [], items: [...salable].map(([itemId, value]) => ({ itemId, salable: value })) };
  }
  const lines: LineWork[] = [];
  const { items, recorded } = await changeStock(deps, storeHash, {
    reason: 'order',
    itemIds: targets.map((t) => t.itemId),
    async decide(trx, items) {
      // A retired item (unassigned) no longer moves: its lines keep what they held.
      for (const target of targets.filter((t) => items.has(t.itemId))) {
        const held = await lockOrderLine(trx, {
          storeHash,
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
        });
        const item = items.get(target.itemId)!;
        const toHold = held.predates_assignment ? 0 : unitsToHold(order.statusId, target.line, order.archived);
        const follows = levelFollows(order, item, target.line, toHold - held.held_qty);
        const threshold = item.backorder_threshold;
        const backordered = follows ? backorderedUnits(target.line, held.held_qty, toHold) : 0;
        lines.push({ ...target, held, threshold, toHold, levelFollows: follows, backordered });
      }
      return lines.map(({ line, held, toHold, levelFollows, backordered }) => ({
        itemId: held.item_id,
        stock: { by: held.held_qty - toHold },
        key: `order:${order.id}:${line.orderProductId}:v${held.version + 1}`,
        orderId: order.id,
        levelFollows,
        backordered,
      }));
    },
    async record(trx, moves) {
      const outcomes: LineOutcome[] = [];
      for (const [index, work] of lines.entries()) {
        const move = moves[index];
        if (move) outcomes.push(await recordLine(trx, storeHash, order, work, move));
        const key = { storeHash, orderId: order.id, orderProductId: work.line.orderProductId };
        await updateHeld(trx, key, { heldQty: work.toHold, orderedQty: work.line.quantity, orderStatusId: order.statusId, bumpVersion: move !== undefined });
        if (isShipped(order.statusId, work.line)) await markLineShipped(trx, storeHash, order.id, work.line.orderProductId);
      }
      if (order.archived) await archiveLines(trx, storeHash, order.id);
      return outcomes;
    },
  });
  const overCap = (recorded ?? []).reduce((units, line) => units + line.overCap, 0);
  if (overCap > 0) overLimitUnits.inc({ store: storeHash }, overCap);
  return { moved: recorded ?? [], items: [...items].map(([itemId, item]) => ({ itemId, salable: salableQty(item.stock, item.threshold) })) };
}
