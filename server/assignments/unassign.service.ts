/**
 * Unassigning products (one, bulk). The page shows the products it can unassign and says why it leaves
 * each other one out; its post marks them `unassigning` with the merchant's choices and its form's key,
 * and the `unassign` job (unassign.job.ts) hands them back to BigCommerce and then releases them (history
 * kept, open backorder lines marked released).
 *
 * What the merchant confirmed is what they want gone: a product unassigned meanwhile (by another admin, or
 * by BackOrder itself) is named as unassigned already while the rest are unassigned; a product still being
 * assigned refuses the whole post, nothing marked, with a form that succeeds once it is assigned. The same
 * form posted again (a double click, the back button) finds what its first post marked, by its key, and
 * answers the same.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { AppError, validationError } from '../errors.ts';
import { mirrorProducts } from '../catalog/catalog-lookup.repo.ts';
import { queueOrLeavePending } from '../jobs/jobs.service.ts';
import { assignmentStates, markUnassigning, unassignedBy, type UnassignChoices } from './assignment-states.repo.ts';
import type { AssignmentDeps } from './assignments.service.ts';
import { editRows } from './assignment-forms.service.ts';
import type { FormRow } from './item-form.ts';

/** The products' names in the catalog mirror, in the order given (`product 123` for one it does not have). */
async function namesOf(db: Db, storeHash: string, productIds: readonly number[]): Promise<string[]> {
  const mirror = await mirrorProducts(db, storeHash, productIds);
  return productIds.map((id) => mirror.get(id)?.name ?? `product ${id}`);
}

/**
 * What the unassign page shows for `productIds`: a row (its first item) for each product it can unassign,
 * which of those BigCommerce did not track before they were assigned, and why each other product is left out.
 */
export async function unassignRows(
  db: Db,
  storeHash: string,
  productIds: readonly number[],
): Promise<{ rows: FormRow[]; untracked: Set<number>; leftOut: string[] }> {
  const [items, states] = await Promise.all([editRows(db, storeHash, productIds, false), assignmentStates(db, storeHash, productIds)]);
  const rows = items.filter((r) => r.first && states.has(r.productId) && states.get(r.productId)?.state !== 'unassigning');
  const untracked = new Set(rows.filter((r) => states.get(r.productId)?.untrackedBefore).map((r) => r.productId));
  const shown = new Set(rows.map((r) => r.productId));
  const missing = productIds.filter((id) => !shown.has(id));
  const mirror = await mirrorProducts(db, storeHash, missing);
  const leftOut = missing.map((id) => {
    const name = mirror.get(id)?.name ?? items.find((r) => r.productId === id)?.name;
    if (states.get(id)?.state === 'unassigning') return `${name ?? `product ${id}`} is being unassigned already`;
    return name === undefined ? `product ${id} is not in the catalog` : `${name} is not assigned to BackOrder`;
  });
  return { rows, untracked, leftOut };
}

export interface UnassignOutcome {
  /** How many products this unassign marked: now, or when the same form was first posted. */
  unassigned: number;
  /** The products asked for that were unassigned already (or are being unassigned by another request), by name. */
  alreadyUnassigned: string[];
}

/**
 * Unassigns products (one, bulk); BigCommerce is handed them back in the `unassign` job. `unassignKey` is
 * the form's: a post of a form already sent marks nothing more and answers as the first did.
 */
export async function unassignProducts(
  deps: AssignmentDeps,
  storeHash: string,
  productIds: readonly number[],
  choices: UnassignChoices,
  unassignKey: string = randomUUID(),
): Promise<UnassignOutcome> {
  if (productIds.length === 0) throw new AppError('validation', 'Choose at least one product to unassign.');
  let ours = await unassignedBy(deps.db, storeHash, unassignKey);
  if (ours.length === 0) {
    const states = await assignmentStates(deps.db, storeHash, productIds);
    const assigning = productIds.filter((id) => states.get(id)?.state === 'assigning');
    if (assigning.length > 0) {
      const names = await namesOf(deps.db, storeHash, assigning);
      throw validationError(
        'Nothing was unassigned.',
        names.map((name) => ({ field: name, message: 'is still being assigned in BigCommerce: try again in a moment' })),
      );
    }
    const marked = await markUnassigning(deps.db, storeHash, productIds, choices, unassignKey);
    if (marked.length > 0) await queueOrLeavePending(deps.db, deps.storeJobs, storeHash, 'unassign', 'Waiting to hand the products back to BigCommerce');
    // The same form posted twice at once: the later post marks nothing (the first one's marking held the rows),
    // and finds the first one's by the key.
    ours = await unassignedBy(deps.db, storeHash, unassignKey);
  }
  const marked = new Set(ours);
  return {
    unassigned: marked.size,
    alreadyUnassigned: await namesOf(
      deps.db,
      storeHash,
      productIds.filter((id) => !marked.has(id)),
    ),
  };
}
