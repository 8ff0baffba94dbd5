/**
 * Editing assigned items — one (the edit dialog), in bulk (the Bulk Edit page) or from a CSV file ("import
 * to update"): current stock (a movement in the ledger, reason manual or import), backorder threshold
 * (unlimited included), incoming stock and back-in-stock date. One stock change (`changeStock`) for all of
 * them, set-based: under the items' row locks every edit is checked and every problem reported at once;
 * then all of them are applied or none; the stock service rebalances lines, refreshes ETAs, and has
 * selling and the storefront follow the commit.
 *
 * A form's edit says what the page showed (`shown`): its new current stock is applied as the difference
 * from what was shown, so units orders took while the page was open stay taken; a threshold, incoming
 * stock or date someone else changed meanwhile refuses the save, naming both values. An import's values
 * are absolute: the file's current stock is the count.
 */
import { randomUUID } from 'node:crypto';
import { AppError, validationError, type FieldProblem } from '../errors.ts';
import {
  FIELD_LABELS,
  MAX_QUANTITY,
  arrivalProblem,
  dateWithoutIncomingProblem,
  formatField,
  pastDateProblem,
  stockProblem,
  type ItemValues,
} from './item-values.ts';
import type { Db } from '../db/database.ts';
import { readItems } from './inventory.repo.ts';
import { changeStock, changeStockInBatches, type ItemChange, type LockedItem, type StockDeps } from './stock.service.ts';

export interface ItemEdit {
  itemId: number;
  /** How problems name the item: `line 7` or `Blue Jar, Size: L`. */
  label: string;
  /** How a problem with its current stock is named: `line 7, column current_stock` (CSV); default `<label>, current stock`. */
  stockField?: string;
  /** How a problem with its back-in-stock date is named (CSV); default `<label>, Back-in-stock date`. */
  dateField?: string;
  /** The fields to change, and their new values. */
  values: ItemValues;
  /** A form's edit: every field as the page showed it. Absent: the values are absolute (an import). */
  shown?: ItemValues;
}

export interface EditOptions {
  reason: 'manual' | 'import';
  /** Makes the movements of this edit run unique (an import's id, or a fresh one per form post). */
  runKey?: string;
}

export interface EditOutcome {
  items: number;
  stockChanged: number;
  /** Form edits whose stock ended other than typed: orders moved it while the page was open. */
  stockMovedMeanwhile: Array<{ label: string; typed: number; now: number }>;
}

const PLAN_FIELDS = ['backorderThreshold', 'incomingStock', 'backInStockDate'] as const;

const described = (field: (typeof PLAN_FIELDS)[number], value: ItemValues[typeof field]) =>
  value === null && field === 'backInStockDate' ? 'no date' : formatField(field, value) || 'empty';

/**
 * Why a form's stock move is refused when it would take stock further past MAX_QUANTITY than it is: only a
 * page that says it showed another stock than the one it was given (altered, or from a far older page) can.
 */
function movedTooFar(edit: ItemEdit, present: number): string | undefined {
  const typed = edit.values.currentStock;
  if (typed === undefined || edit.shown?.currentStock === undefined) return undefined;
  const after = present + typed - edit.shown.currentStock;
  if (Math.abs(after) <= MAX_QUANTITY || Math.abs(after) <= Math.abs(present)) return undefined;
  const limit = MAX_QUANTITY.toLocaleString('en-US');
  return `would be ${after.toLocaleString('en-US')}: ${after > 0 ? `more than ${limit}` : `below -${limit}`}. Open this page again from Assigned Products and type the stock you have`;
}

/** An edit whose incoming stock would take current stock past MAX_QUANTITY on arrival, named on the field it changed. */
function arrivalTooLarge(edit: ItemEdit, item: LockedItem): FieldProblem | undefined {
  const { currentStock: typed, incomingStock } = edit.values;
  if (typed === undefined && incomingStock === undefined) return undefined;
  const stock =
    typed === undefined ? item.current_stock : edit.shown?.currentStock !== undefined ? item.current_stock + typed - edit.shown.currentStock : typed;
  const message = arrivalProblem(stock, incomingStock ?? item.incoming_stock);
  if (!message) return undefined;
  return { field: incomingStock === undefined ? (edit.stockField ?? `${edit.label}, current stock`) : `${edit.label}, ${FIELD_LABELS.incomingStock}`, message };
}

/** An edit that leaves the item a back-in-stock date and no incoming stock, named on the date. */
function dateLeftUnserved(edit: ItemEdit, item: LockedItem): FieldProblem | undefined {
  const { backInStockDate, incomingStock } = edit.values;
  const date = backInStockDate !== undefined ? backInStockDate : item.back_in_stock_date;
  const incoming = incomingStock ?? item.incoming_stock;
  // What the item holds already is not the edit's doing: an exported file imported again changes nothing.
  if (date === item.back_in_stock_date && incoming === item.incoming_stock) return undefined;
  const message = dateWithoutIncomingProblem(date, incoming);
  return message ? { field: edit.dateField ?? `${edit.label}, ${FIELD_LABELS.backInStockDate}`, message } : undefined;
}

/**
 * What is wrong with `edit` of `item` (undefined: not assigned); conflicts: fields someone else changed since
 * the page showed them. With `today` (an import), a back-in-stock date that has passed is refused unless it
 * is the item's own: an exported file carries the dates as stored, and must import again unchanged.
 */
function problemsOf(edit: ItemEdit, item: LockedItem, today?: string): { problems: FieldProblem[]; conflicts: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const conflicts: FieldProblem[] = [];
  const stock = edit.values.currentStock;
  if (stock !== undefined) {
    const problem = stockProblem(stock, edit.shown ? edit.shown.currentStock : item.current_stock) ?? movedTooFar(edit, item.current_stock);
    if (problem) problems.push({ field: edit.stockField ?? `${edit.label}, current stock`, message: problem });
  }
  const arrival = problems.length === 0 ? arrivalTooLarge(edit, item) : undefined;
  if (arrival) problems.push(arrival);
  const date = edit.values.backInStockDate;
  const passed = today && date ? pastDateProblem(date, { today, present: item.back_in_stock_date }) : undefined;
  if (passed) problems.push({ field: edit.dateField ?? `${edit.label}, ${FIELD_LABELS.backInStockDate}`, message: passed });
  const unserved = passed ? undefined : dateLeftUnserved(edit, item);
  if (unserved) problems.push(unserved);
  if (!edit.shown) return { problems, conflicts };
  const now: ItemValues = { backorderThreshold: item.backorder_threshold, incomingStock: item.incoming_stock, backInStockDate: item.back_in_stock_date };
  for (const field of PLAN_FIELDS) {
    // Unchanged since the page showed it, or already what the merchant typed (the same form posted twice).
    if (edit.values[field] === undefined || now[field] === edit.shown[field] || now[field] === edit.values[field]) continue;
    conflicts.push({
      field: `${edit.label}, ${FIELD_LABELS[field]}`,
      message: `changed since you opened this page: it showed ${described(field, edit.shown[field])}, it is ${described(field, now[field])} now. Your ${described(field, edit.values[field])} is kept below; save again to apply it`,
    });
  }
  return { problems, conflicts };
}

/** Throws, changing nothing, when any edit has a problem or a conflict; lists every one. */
function check(edits: readonly ItemEdit[], items: ReadonlyMap<number, LockedItem>): void {
  const { problems, conflicts } = problemsIn(edits, items);
  if (conflicts.length > 0) {
    const message = `Nothing was saved: ${conflicts.length === 1 ? 'a value' : `${conflicts.length} values`} changed since you opened this page. Check ${conflicts.length === 1 ? 'it' : 'them'} below and save again.`;
    throw new AppError('conflict', message, { problems: [...conflicts, ...problems] });
  }
  if (problems.length > 0) throw refusedEdits(problems);
}

function refusedEdits(problems: FieldProblem[]): AppError {
  return validationError(`Nothing was saved: ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix first.`, problems);
}

/** Every problem and conflict of `edits` of the locked `items` (with `today`, see `problemsOf`). */
function problemsIn(
  edits: readonly ItemEdit[],
  items: ReadonlyMap<number, LockedItem>,
  today?: string,
): { problems: FieldProblem[]; conflicts: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const conflicts: FieldProblem[] = [];
  const seen = new Map<number, string>();
  for (const edit of edits) {
    const item = items.get(edit.itemId);
    const earlier = seen.get(edit.itemId);
    if (!item) problems.push({ field: edit.label, message: 'is not assigned to BackOrder (unassigned, or not in this store)' });
    else if (earlier) problems.push({ field: edit.label, message: `names the same item as ${earlier}: a duplicate row` });
    else {
      const found = problemsOf(edit, item, today);
      problems.push(...found.problems);
      conflicts.push(...found.conflicts);
    }
    seen.set(edit.itemId, edit.label);
  }
  return { problems, conflicts };
}

/** The stock change an edit makes: a form's new stock moves it by what the merchant changed; an import's sets it to the count. */
function changeOf(edit: ItemEdit): ItemChange {
  const { currentStock, ...plan } = edit.values;
  return {
    itemId: edit.itemId,
    ...(PLAN_FIELDS.some((field) => plan[field] !== undefined) ? { plan } : {}),
    ...(currentStock === undefined
      ? {}
      : { stock: edit.shown?.currentStock !== undefined ? { by: currentStock - edit.shown.currentStock } : { to: currentStock } }),
  };
}

/** Applies every edit or none; throws a validation error listing every problem, or a conflict naming what changed meanwhile. */
export async function editItems(deps: StockDeps, storeHash: string, edits: readonly ItemEdit[], options: EditOptions): Promise<EditOutcome> {
  if (edits.length === 0) throw new AppError('validation', 'There is nothing to save: no item was given.');
  const runKey = options.runKey ?? randomUUID();
  const { moves } = await changeStock(deps, storeHash, {
    reason: options.reason,
    key: `${options.reason}:${runKey}`,
    note: options.reason === 'manual' ? 'edited in the admin' : 'CSV import',
    itemIds: edits.map((e) => e.itemId),
    decide(_trx, items) {
      check(edits, items);
      return edits.map(changeOf);
    },
  });
  const stockMovedMeanwhile = edits.flatMap((e, index) => {
    const now = moves[index]?.after;
    return e.shown && e.values.currentStock !== undefined && now !== undefined && now !== e.values.currentStock
      ? [{ label: e.label, typed: e.values.currentStock, now }]
      : [];
  });
  return { items: edits.length, stockChanged: moves.filter((m) => m !== undefined).length, stockMovedMeanwhile };
}

/**
 * An import's edits, too many to hold at once: applied batch by batch in one stock change, all or none.
 * Each batch is checked under its items' locks (a back-in-stock date against `today` and the item's own);
 * after the first problem nothing more is applied, the remaining batches are still checked, and the change
 * is undone with every problem listed. With `earlier` problems (found reading the file), nothing is
 * applied: the edits are only checked, without locking their items (orders of them need not wait for a file
 * refused already), so that the refusal lists every problem at once. The edits of one item come in one
 * batch, batches in item id order (`changeStockInBatches`).
 */
export async function importEdits(
  deps: StockDeps,
  storeHash: string,
  batches: (trx: Db) => AsyncIterable<ItemEdit[]>,
  options: { runKey: string; today: string; earlier?: readonly FieldProblem[] },
): Promise<{ items: number; stockChanged: number }> {
  const problems: FieldProblem[] = [...(options.earlier ?? [])];
  if (problems.length > 0) {
    for await (const edits of batches(deps.db)) {
      const items = await readItems(
        deps.db,
        storeHash,
        edits.map((e) => e.itemId),
      );
      problems.push(...problemsIn(edits, items, options.today).problems);
    }
    throw refusedEdits(problems);
  }
  let items = 0;
  const { moved } = await changeStockInBatches(deps, storeHash, {
    reason: 'import',
    key: `import:${options.runKey}`,
    note: 'CSV import',
    async *batches(trx) {
      for await (const edits of batches(trx)) {
        items += edits.length;
        yield {
          itemIds: edits.map((e) => e.itemId),
          decide(_trx, locked) {
            problems.push(...problemsIn(edits, locked, options.today).problems);
            return problems.length > 0 ? [] : edits.map(changeOf);
          },
        };
      }
      if (problems.length > 0) throw refusedEdits(problems);
    },
  });
  return { items, stockChanged: moved };
}
