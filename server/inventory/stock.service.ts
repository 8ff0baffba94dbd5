/**
 * Every change to an item's stock or plan goes through `changeStock`: an order (orders.service), a level
 * read from BigCommerce (level-sync.service), an edit in the admin — one item or Bulk Edit — and an import
 * to update (item-edits.service), incoming stock arriving or expiring on its back-in-stock date
 * (incoming.service), and reconcile's repair (ledger.service). One transaction holds the items' row locks
 * (taken in id order) while
 *   1. the caller decides what changes, reading the locked rows (a check that refuses throws: nothing changes);
 *   2. stock moves in SQL — by units, to a count, by what BigCommerce's level moved, or back to what the
 *      ledger says — skipping a change whose key the ledger already holds, each move with its ledger row;
 *   3. thresholds, incoming stock and back-in-stock dates are set;
 *   4. the caller records what the moves mean for its own rows (an order's backorder lines grow or shrink);
 *   5. backorder lines are rebalanced where the change moved stock that is or was below zero, so that
 *      waiting units + unexplained shortfall = max(0, −current_stock), and ETAs are refreshed where stock
 *      is or was incoming.
 * After the commit, 6. selling is checked for the items that crossed 0 salable, are at or below it or carry
 * a purchasing hold (as read under the locks), the storefront's cached answers drop when anything changed, and — strict limit mode —
 * BigCommerce's level is written where it no longer is the item's salable quantity.
 *
 * Creating an item is not a change: its starting stock is where its ledger begins. What follows it is
 * decided by the same rule (`followChange`).
 */
import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { MovementReason } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { stockMovements } from '../metrics/metrics.ts';
import { allocateByAge, refreshEtas } from '../backorders/backorders.repo.ts';
import { rebalance } from '../backorders/backorders.service.ts';
import { lockItems, setPlans, type ItemPlan, type LockedItem } from './inventory.repo.ts';
import { moveStock, type MoveRequest, type Moved, type StockMove, type StockMoveInput } from './stock-moves.repo.ts';
import { outOfStepAmong, sellingCandidates } from './selling-candidates.repo.ts';
import { noteOrderMoves, strictLevelsOutOfStep } from './strict-levels.repo.ts';
import type { StockEffects } from './stock-effects.ts';

export type { ItemPlan, LockedItem, Moved, StockMove };

/** What a stock change is done with: the database, and what follows a commit. */
export interface StockDeps {
  db: Db;
  effects: StockEffects;
  /** Where a change says what it left undone and why (an order's late snapshot, skipped). */
  logger?: Logger;
}

/** One change to one item: its stock, its plan, or both. */
export interface ItemChange {
  itemId: number;
  /** A `to`, `level` or `ledger` move must be its item's only stock change in a request. */
  stock?: StockMove;
  /** Makes a retried change a no-op, e.g. `order:1001:55:v2`; default: the request's key and the item id. */
  key?: string;
  orderId?: number;
  /** Strict limit mode: BigCommerce moved its level by this change itself (an order it counted). */
  levelFollows?: boolean;
  /** An order line's move: the line's place in the order lines are served in (`StockMoveInput`'s `line`). */
  line?: { orderCreatedAt: Date; orderProductId: number };
  /** With `levelFollows`, on native backorders: of the units, those BigCommerce moved as backordered (taken +, given back −). */
  backordered?: number;
  /** The ledger row's note, when the request's does not fit. */
  note?: string;
  plan?: ItemPlan;
}

export interface StockChangeRequest<T> {
  reason: MovementReason;
  /** Makes a retried request a no-op: each item's move is keyed `<key>:<item id>`, unless its change has its own. Default: unique. */
  key?: string;
  /** The note of every ledger row this change writes, unless a change gives its own. */
  note?: string;
  /** The items to lock; retired (unassigned) and unknown items are left out: their stock no longer moves. */
  itemIds: readonly number[];
  /**
   * Locks the items as `lockItems` does (in id order, retired ones left out), with rows of the caller's own
   * in the same statement; default: `lockItems`.
   */
  lock?(trx: Db, itemIds: readonly number[]): Promise<Map<number, LockedItem>>;
  /** Under the items' row locks: the changes to make. Throw to change nothing. */
  decide(trx: Db, items: ReadonlyMap<number, LockedItem>): ItemChange[] | Promise<ItemChange[]>;
  /**
   * Under the same locks, in the move's own statement: common table expressions writing what the moves `decide`
   * asked for mean for the caller's own rows, as it foresaw them from the locked items (`record` then checks
   * the moves against what was foreseen): one round trip, not two.
   */
  recordAlongside?(): RawBuilder<unknown> | undefined;
  /** Under the same locks, after stock moved: what the moves mean for the caller's own rows. */
  record?(trx: Db, moves: ReadonlyArray<Moved | undefined>): Promise<T>;
}

/** A locked item as the change leaves it. */
export interface ItemAfter {
  stock: number;
  /** null: unlimited. */
  threshold: number | null;
}

export interface StockChangeOutcome<T> {
  /** `moves[i]`: what the i-th change decided moved; undefined when it moved nothing (no units, or its key already applied). */
  moves: Array<Moved | undefined>;
  /** Items whose stock or plan changed. */
  changed: number[];
  /** Every locked item, as the change leaves it. */
  items: ReadonlyMap<number, ItemAfter>;
  recorded: T | undefined;
}

/** salable_qty = current_stock + backorder_threshold; null threshold means unlimited. */
export function salableQty(stock: number, threshold: number | null): number {
  return threshold === null ? Number.POSITIVE_INFINITY : stock + threshold;
}

/** An item through one change: as locked (`was`), and as it ends. */
interface ItemState extends ItemAfter {
  was: LockedItem;
  incoming: number;
  moves: Moved[];
  planned: boolean;
  restored: boolean;
  /** An order line took units beyond stock while a newer order's line held allocated units. */
  byAge: boolean;
}

/** Applies one change to many items (or one) as the header tells; returns what moved and changed. */
export async function changeStock<T = undefined>(deps: StockDeps, storeHash: string, request: StockChangeRequest<T>): Promise<StockChangeOutcome<T>> {
  if (request.itemIds.length === 0) return { moves: [], changed: [], items: new Map(), recorded: undefined };
  const { items, outcome } = await deps.db.transaction().execute(async (trx) => {
    const { changes, items, moves, planned } = await lockAndMove(trx, storeHash, movementOf(request), request);
    if (request.reason === 'order') {
      // BigCommerce took (or gave back) the units from on hand, except those it backordered. Only items that
      // were ever strict count levels (as locked: a switch to strict waits for these locks).
      const followed = (m: Moved) => {
        const change = changes[m.index]!;
        const backordered = change.levelFollows ? (change.backordered ?? 0) : 0;
        return { itemId: m.itemId, levelUnits: change.levelFollows ? m.after - m.before + backordered : 0, backorderedUnits: backordered };
      };
      await noteOrderMoves(
        trx,
        storeHash,
        moves.flatMap((m) => (m && items.get(m.itemId)!.was.level_counted_from !== null ? [followed(m)] : [])),
      );
    }
    await planAll(trx, storeHash, changes, items, planned);
    const recorded = await request.record?.(trx, moves);
    await settleLines(trx, storeHash, request.reason, items);
    return { items, outcome: { moves, changed: changedIn(items), items, recorded } };
  });
  const written = outcome.moves.filter((move) => move !== undefined).length;
  if (written > 0) stockMovements.inc({ reason: request.reason }, written);
  await followChange(deps, storeHash, followOf(request.reason, items, outcome.changed));
  return outcome;
}

/** One batch of a change made in batches: the items to lock, and under their locks what changes. */
export interface StockChangeBatch {
  itemIds: readonly number[];
  /** Under the batch's row locks: the changes to make. Throw to change nothing, in any batch. */
  decide(trx: Db, items: ReadonlyMap<number, LockedItem>): ItemChange[] | Promise<ItemChange[]>;
}

export interface BatchedStockChangeRequest {
  reason: MovementReason;
  key?: string;
  note?: string;
  /**
   * The batches, read through the transaction's `trx`; each batch's items in id order and after the
   * previous batch's (so that two changes sharing items lock them alike). Throw — also after the last
   * batch — to change nothing.
   */
  batches(trx: Db): AsyncIterable<StockChangeBatch>;
}

/**
 * One change too large to hold at once (an import's 100,000 rows), made batch by batch in one transaction
 * — all of it or nothing — by the same steps as `changeStock`, each batch's items locked until the commit;
 * only the ids of the items changed are kept across batches, for what follows the commit. Returns how many
 * items changed and how many moves were written.
 */
export async function changeStockInBatches(
  deps: StockDeps,
  storeHash: string,
  request: BatchedStockChangeRequest,
): Promise<{ changed: number; moved: number }> {
  const movement = movementOf(request);
  const follow = { changed: [] as number[], crossed: [] as number[], candidates: [] as number[], strict: [] as number[] };
  let moved = 0;
  await deps.db.transaction().execute(async (trx) => {
    for await (const batch of request.batches(trx)) {
      const { changes, items, moves, planned } = await lockAndMove(trx, storeHash, movement, batch);
      moved += moves.filter((move) => move !== undefined).length;
      await planAll(trx, storeHash, changes, items, planned);
      await settleLines(trx, storeHash, request.reason, items);
      const changed = changedIn(items);
      const { crossed, candidates, strict } = followOf(request.reason, items, changed);
      follow.changed.push(...changed);
      follow.crossed.push(...crossed);
      follow.candidates.push(...candidates);
      follow.strict.push(...strict);
    }
  });
  if (moved > 0) stockMovements.inc({ reason: request.reason }, moved);
  await followChange(deps, storeHash, follow);
  return { changed: follow.changed.length, moved };
}

/** Items from which a change's statements are costly enough, by PostgreSQL's estimate, to be compiled by its JIT. */
const JIT_ITEMS = 100;

/** Steps 1 and 2 of a change (or of one batch of it): lock the items, let the caller decide, move stock (and plans with it). */
async function lockAndMove(
  trx: Db,
  storeHash: string,
  movement: MoveRequest,
  { itemIds, lock, decide, recordAlongside }: StockChangeBatch & Pick<StockChangeRequest<unknown>, 'lock' | 'recordAlongside'>,
): Promise<{ changes: ItemChange[]; items: Map<number, ItemState>; moves: Array<Moved | undefined>; planned: ReadonlySet<number> }> {
  // Each statement here is quick, on rows found by key: compiling one to machine code (PostgreSQL's JIT,
  // which a 10,000-row chunk's estimated cost triggers) takes longer than running it. An order's few items
  // never reach it, and are spared the round trip.
  if (itemIds.length >= JIT_ITEMS) await sql`set local jit = off`.execute(trx);
  const locked = await (lock ? lock(trx, itemIds) : lockItems(trx, storeHash, itemIds));
  const changes = await decide(trx, locked);
  assertAlone(changes);
  const items = statesOf(locked);
  return { changes, items, ...(await moveAll(trx, storeHash, movement, changes, items, recordAlongside?.())) };
}

/** The states of locked items before a change. */
function statesOf(locked: ReadonlyMap<number, LockedItem>): Map<number, ItemState> {
  const items = new Map<number, ItemState>();
  for (const [itemId, was] of locked) {
    items.set(itemId, {
      was,
      stock: was.current_stock,
      threshold: was.backorder_threshold,
      incoming: was.incoming_stock,
      moves: [],
      planned: false,
      restored: false,
      byAge: false,
    });
  }
  return items;
}

/** The items whose stock or plan the change changed. */
function changedIn(items: ReadonlyMap<number, ItemState>): number[] {
  return [...items].filter(([, item]) => item.moves.length > 0 || item.planned || item.restored).map(([itemId]) => itemId);
}

/** What every move of a request shares; its key is drawn once, so a change in batches has one. */
function movementOf(request: { reason: MovementReason; key?: string; note?: string }): MoveRequest {
  return { reason: request.reason, key: request.key ?? `${request.reason}:${randomUUID()}`, note: request.note ?? null };
}

/**
 * Step 2: stock moves (one statement per chunk, with the ledger rows and the plans that come with them);
 * returns what each change moved, and the items whose plans were written.
 */
async function moveAll(
  trx: Db,
  storeHash: string,
  movement: MoveRequest,
  changes: readonly ItemChange[],
  items: Map<number, ItemState>,
  alongside: RawBuilder<unknown> | undefined,
) {
  const inputs: StockMoveInput[] = [];
  for (const [index, change] of changes.entries()) {
    const item = items.get(change.itemId);
    if (!change.stock || !item) continue;
    if ('ledger' in change.stock) item.restored = true;
    inputs.push({
      index,
      itemId: change.itemId,
      move: change.stock,
      key: change.key ?? null,
      orderId: change.orderId ?? null,
      note: change.note ?? null,
      ...(change.plan ? { plan: change.plan } : {}),
      ...(change.line ? { line: change.line } : {}),
    });
  }
  const moves: Array<Moved | undefined> = new Array(changes.length).fill(undefined);
  const { moved, planned, byAge } = await moveStock(trx, storeHash, inputs, movement, alongside);
  for (const itemId of byAge) items.get(itemId)!.byAge = true;
  for (const move of moved) {
    moves[move.index] = move;
    const item = items.get(move.itemId)!;
    item.moves.push(move);
    item.stock = move.after;
  }
  return { moves, planned: new Set(planned) };
}

/**
 * Step 3: thresholds, incoming stock, back-in-stock dates — those step 2 did not write with a move
 * (`written`); an item is `planned` when a field changed.
 */
async function planAll(trx: Db, storeHash: string, changes: readonly ItemChange[], items: Map<number, ItemState>, written: ReadonlySet<number>): Promise<void> {
  const plans = changes.filter((c) => c.plan && items.has(c.itemId)) as Array<ItemChange & { plan: ItemPlan }>;
  await setPlans(
    trx,
    storeHash,
    plans.filter((p) => !written.has(p.itemId)),
  );
  for (const { itemId, plan } of plans) {
    const item = items.get(itemId)!;
    const { was } = item;
    item.threshold = plan.backorderThreshold !== undefined ? plan.backorderThreshold : was.backorder_threshold;
    item.incoming = plan.incomingStock ?? was.incoming_stock;
    const date = plan.backInStockDate !== undefined ? plan.backInStockDate : was.back_in_stock_date;
    item.planned = item.threshold !== was.backorder_threshold || item.incoming !== was.incoming_stock || date !== was.back_in_stock_date;
  }
}

/**
 * Step 5: an item's lines are rebalanced when stock below zero, before or after a move, means units owed
 * and the move changed who owes them — except an order taking units: those beyond stock went onto its own
 * waiting line, which keeps the balance by itself. A restore from the ledger recounts in any case (the
 * stored shortfall is not to be trusted either). ETAs are refreshed where lines or the plan moved and stock
 * is or was incoming; without incoming stock every waiting line's ETA is unknown, and stays so.
 */
async function settleLines(trx: Db, storeHash: string, reason: MovementReason, items: Map<number, ItemState>): Promise<void> {
  const orderTake = (m: Moved) => reason === 'order' && m.after < m.before;
  const etas: number[] = [];
  for (const [itemId, item] of items) {
    if (item.restored || item.moves.some((m) => !orderTake(m) && (m.before < 0 || m.after < 0))) {
      await rebalance(trx, storeHash, itemId, item.stock, { recount: item.restored });
    }
    // An order that took units beyond stock while a newer order's line holds allocated units — its event came
    // late, or it was reinstated — is served before it, as if its units had been waiting when the stock came.
    if (item.byAge) await allocateByAge(trx, storeHash, itemId);
    const linesOrPlanMoved = item.moves.length > 0 || item.planned || item.restored;
    if (linesOrPlanMoved && (item.was.incoming_stock > 0 || item.incoming > 0)) etas.push(itemId);
  }
  await refreshEtas(trx, storeHash, etas);
}

/**
 * Step 6, for a committed change: the changed items, those of them whose salable quantity crossed 0, those
 * selling control must look at (`candidates`: at or below 0 salable and not strict, or carrying a hold —
 * `sellingCandidates`' rule, applied to what was read under the locks, so no read follows the commit), those
 * in strict limit mode, and — for an order — the items it touched without changing. An order's events repeat
 * (BigCommerce sends several for one order): each repeat checks selling where it is out of step on the
 * order's items, finishing what a run that died right after its commit left undone. An item's mode read under
 * its lock holds until the commit; a switch after it follows the item itself (limit-mode.job). A hold set or
 * lifted meanwhile by a check that read the item before this change asks nothing more of it: unless the change
 * crossed 0 (then it is checked anyway), that check's answer stands.
 */
function followOf(reason: MovementReason, items: ReadonlyMap<number, ItemState>, changed: number[]) {
  const crossed: number[] = [];
  const candidates: number[] = [];
  for (const itemId of changed) {
    const { was, stock, threshold } = items.get(itemId)!;
    if (salableQty(was.current_stock, was.backorder_threshold) > 0 !== salableQty(stock, threshold) > 0) crossed.push(itemId);
    if ((salableQty(stock, threshold) <= 0 && was.strict_since === null) || was.hold_open) candidates.push(itemId);
  }
  const strict = changed.filter((itemId) => items.get(itemId)!.was.strict_since !== null);
  const unchanged = reason === 'order' ? [...items.keys()].filter((itemId) => !changed.includes(itemId)) : [];
  return { changed, crossed, candidates, strict, unchanged };
}

/** A `to`, `level` or `ledger` move alone on its item, and one plan per item: the statements assume both. */
function assertAlone(changes: readonly ItemChange[]): void {
  const stock = new Map<number, boolean>(); // item → whether its stock change so far is a `by`
  const plans = new Set<number>();
  for (const { itemId, stock: move, plan } of changes) {
    if (move) {
      const earlier = stock.get(itemId);
      if (earlier !== undefined && !(earlier && 'by' in move))
        throw new Error(`item ${itemId}: a change to a count, a level or the ledger must be its only stock change`);
      stock.set(itemId, 'by' in move);
    }
    if (plan && plans.has(itemId)) throw new Error(`item ${itemId}: two plan changes in one request`);
    if (plan) plans.add(itemId);
  }
}

/**
 * What follows a committed change (or items created): selling checks for the `changed` items at or below 0
 * salable or carrying a hold (`candidates`, when the change read them under its locks; otherwise read here),
 * for those that `crossed` 0, and for `unchanged` items whose selling is out of step; the storefront's cached
 * answers drop when anything changed; the changed strict items whose level in BigCommerce is not their salable
 * quantity get it written (an order's items never do: BigCommerce moved its level by the same units itself).
 * `strict`, when the caller read the items' modes under their locks, names the changed items in strict limit
 * mode (the others' levels are not asked after); otherwise every changed item's is.
 */
export async function followChange(
  deps: StockDeps,
  storeHash: string,
  items: {
    changed: readonly number[];
    crossed?: readonly number[];
    candidates?: readonly number[];
    strict?: readonly number[];
    unchanged?: readonly number[];
  },
): Promise<void> {
  const checks = new Set([...(items.crossed ?? []), ...(items.candidates ?? [])]);
  if (items.changed.length > 0 && !items.candidates) for (const itemId of await sellingCandidates(deps.db, storeHash, items.changed)) checks.add(itemId);
  if (items.unchanged?.length) for (const itemId of await outOfStepAmong(deps.db, storeHash, items.unchanged)) checks.add(itemId);
  if (items.changed.length > 0) await deps.effects.changed(storeHash, checks);
  else if (checks.size > 0) await deps.effects.check(storeHash, checks);
  const strict = items.strict ?? items.changed;
  const levels = strict.length > 0 ? await strictLevelsOutOfStep(deps.db, storeHash, strict) : [];
  if (levels.length > 0) await deps.effects.writeLevels(storeHash, levels);
}
