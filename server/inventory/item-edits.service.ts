/**
 * Editing assigned items — one (the edit dialog), in bulk (the Bulk Edit page) or from a CSV file ("import
 * to update"): current stock (a movement in the ledger, reason manual or import), backorder threshold
 * (unlimited included), incoming stock and back-in-stock date. Every edit is checked first and every
 * problem reported at once; then one transaction applies all of them or none, holding the items' row
 * locks; backorder lines are rebalanced and ETAs refreshed in it; selling checks and the storefront's
 * cache follow the commit.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { AppError, validationError, type FieldProblem } from '../errors.ts';
import { rebalance } from '../backorders/backorders.service.ts';
import { refreshEtas } from '../backorders/backorders.repo.ts';
import { stockProblem, type ItemValues } from '../assignments/item-values.ts';
import { itemsWithOpenLines, lockItems, setPlans, setStocks } from './item-edits.repo.ts';
import { sellingCandidates } from './selling-candidates.repo.ts';
import type { StockEffects } from './stock-effects.ts';

export interface ItemEdit {
  itemId: number;
  /** How problems name the item: `line 7` or `Blue Jar, Size: L`. */
  label: string;
  /** How a problem with its current stock is named: `line 7, column current_stock` (CSV); default `<label>, current stock`. */
  stockField?: string;
  values: ItemValues;
}

export interface EditOptions {
  reason: 'manual' | 'import';
  /** Makes the movements of this edit run unique (an import's id, or a fresh one per form post). */
  runKey?: string;
}

export interface EditOutcome {
  items: number;
  stockChanged: number;
}

/** Applies every edit or none; throws a validation error listing every problem. */
export async function editItems(deps: { db: Db; effects: StockEffects }, storeHash: string, edits: readonly ItemEdit[], options: EditOptions): Promise<EditOutcome> {
  if (edits.length === 0) throw new AppError('validation', 'There is nothing to save: no item was given.');
  const runKey = options.runKey ?? randomUUID();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const items = await lockItems(trx, storeHash, edits.map((e) => e.itemId));
    const problems: FieldProblem[] = [];
    const seen = new Map<number, string>();
    for (const edit of edits) {
      const item = items.get(edit.itemId);
      const earlier = seen.get(edit.itemId);
      if (!item) problems.push({ field: edit.label, message: 'is not assigned to BackOrder (unassigned, or not in this store)' });
      else if (earlier) problems.push({ field: edit.label, message: `names the same item as ${earlier}: a duplicate row` });
      else if (edit.values.currentStock !== undefined) {
        const problem = stockProblem(edit.values.currentStock, item.current_stock);
        if (problem) problems.push({ field: edit.stockField ?? `${edit.label}, current stock`, message: problem });
      }
      seen.set(edit.itemId, edit.label);
    }
    if (problems.length > 0) throw validationError(`Nothing was saved: ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix first.`, problems);

    const stockSets = edits.flatMap((e) => (e.values.currentStock === undefined ? [] : [{ itemId: e.itemId, value: e.values.currentStock }]));
    const moved = await setStocks(trx, storeHash, stockSets, {
      reason: options.reason,
      keyPrefix: `${options.reason}:${runKey}`,
      note: options.reason === 'manual' ? 'edited in the admin' : 'CSV import',
    });
    // Only stock below zero has waiting units to rebalance.
    for (const m of moved) if (m.before < 0 || m.after < 0) await rebalance(trx, storeHash, m.itemId, m.after, true);

    const plans = edits.filter((e) => e.values.backorderThreshold !== undefined || e.values.incomingStock !== undefined || e.values.backInStockDate !== undefined);
    await setPlans(trx, storeHash, plans.map((e) => ({ itemId: e.itemId, ...e.values })));
    for (const itemId of await itemsWithOpenLines(trx, storeHash, plans.map((e) => e.itemId))) await refreshEtas(trx, storeHash, itemId);
    return { items: edits.length, stockChanged: moved.length };
  });
  await deps.effects.changed(storeHash, await sellingCandidates(deps.db, storeHash, edits.map((e) => e.itemId)));
  return outcome;
}
