/**
 * Assigning products to BackOrder — one, in bulk, or from a CSV file — and unassigning them. The story:
 * 1. every request is checked against the catalog mirror and the store's assignments, and every problem
 *    is reported at once (unknown product, named twice, already assigned, over the plan's limit, bad value);
 * 2. one transaction checks the plan's limit under its lock (`assertCanAssign`) and creates the
 *    assignments in state `assigning` with their items — current stock from BigCommerce's level or the
 *    value given, the threshold from the value given or the store's default — all or nothing;
 * 3. BigCommerce follows in the `assign` job (assign.job.ts): it saves each product's own tracking mode and
 *    availability, turns tracking off 10 products a request, and marks them active.
 * Unassigning is told in unassign.service.ts.
 */
import type { Queue } from 'bullmq';
import type { Db } from '../db/database.ts';
import { validationError, AppError, type FieldProblem } from '../errors.ts';
import { hasOptions, mirrorProducts, type MirrorProduct } from '../catalog/catalog-lookup.repo.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { followChange } from '../inventory/stock.service.ts';
import { queueOrLeavePending } from '../jobs/jobs.service.ts';
import { assertCanAssign, getPlanUsage, limitWords } from '../plans/plans.service.ts';
import { getSettings } from '../settings/settings.service.ts';
import { insertAssignments, type NewAssignment, type NewItem } from './assignments.repo.ts';
import { arrivalProblem, dateWithoutIncomingProblem, FIELD_LABELS, stockProblem, type ItemValues } from '../inventory/item-values.ts';

export interface GivenValues {
  values: ItemValues;
  /** How problems name this item: `line 4` (CSV) or `Blue Jar, Size: L` (forms). */
  label: string;
  /** How a problem with its current stock is named: `line 4, column current_stock` (CSV); default `<label>, current stock`. */
  stockField?: string;
  /** How a problem with its back-in-stock date is named (CSV); default `<label>, Back-in-stock date`. */
  dateField?: string;
}

export interface AssignRequest {
  productId: number;
  /** How problems name the product. */
  label: string;
  /** Values given per item: key null for a product tracked as a whole, else the variant id. */
  values?: ReadonlyMap<number | null, GivenValues>;
}

export interface AssignmentDeps {
  db: Db;
  storeJobs: Queue;
  effects: StockEffects;
}

/** Products that already hold an assignment (any state), of `productIds`. */
async function assignedAmong(db: Db, storeHash: string, productIds: readonly number[]): Promise<Set<number>> {
  const assigned = new Set<number>();
  for (let i = 0; i < productIds.length; i += 10_000) {
    const rows = await db
      .selectFrom('assignments')
      .select('product_id')
      .where('store_hash', '=', storeHash)
      .where('released_at', 'is', null)
      .where('product_id', 'in', productIds.slice(i, i + 10_000))
      .execute();
    for (const row of rows) assigned.add(row.product_id);
  }
  return assigned;
}

/** How the app holds the product's stock: as a whole, or per variant (a product sold in options). */
export function trackedByOf(product: MirrorProduct): 'product' | 'variant' {
  if (product.inventoryTracking === 'none') return hasOptions(product) ? 'variant' : 'product';
  return product.inventoryTracking;
}

/** The items of a product about to be assigned, from BigCommerce's levels and the values given. */
function itemsOf(product: MirrorProduct, request: AssignRequest, defaultThreshold: number | null, problems: FieldProblem[]): NewItem[] {
  const trackedBy = trackedByOf(product);
  const targets =
    trackedBy === 'product'
      ? [{ variantId: null, sku: product.sku, level: product.inventoryLevel }]
      : product.variants.map((v) => ({ variantId: v.variantId as number | null, sku: v.sku, level: v.inventoryLevel }));
  for (const [variantId, given] of request.values ?? []) {
    if (!targets.some((t) => t.variantId === variantId)) {
      problems.push({
        field: given.label,
        message:
          variantId === null
            ? `${product.name} is tracked by variant: give values for its variants`
            : `${product.name} is tracked as a whole product: give values for the product, not variant ${variantId}`,
      });
    }
  }
  return targets.map((target) => {
    const given = request.values?.get(target.variantId);
    const values = given?.values ?? {};
    const currentStock = values.currentStock ?? Math.max(0, target.level);
    const problem =
      (values.currentStock !== undefined && stockProblem(values.currentStock, undefined)) || arrivalProblem(currentStock, values.incomingStock ?? 0);
    if (problem) problems.push({ field: given!.stockField ?? `${given!.label}, current stock`, message: problem });
    const unserved = dateWithoutIncomingProblem(values.backInStockDate ?? null, values.incomingStock ?? 0);
    if (unserved) problems.push({ field: given!.dateField ?? `${given!.label}, ${FIELD_LABELS.backInStockDate}`, message: unserved });
    return {
      variantId: target.variantId,
      sku: target.sku,
      currentStock,
      backorderThreshold: values.backorderThreshold !== undefined ? values.backorderThreshold : defaultThreshold,
      incomingStock: values.incomingStock ?? 0,
      backInStockDate: values.backInStockDate ?? null,
      // A stock the merchant typed is the starting point; BigCommerce's level is recorded by the job without a
      // movement. A stock taken from the mirror moves with any change BigCommerce reports in between.
      bigcommerceLevel: values.currentStock !== undefined ? null : target.level,
    };
  });
}

/**
 * Checks every request and returns the assignments to create, or throws a validation error listing
 * every problem (nothing is assigned then).
 */
export async function planAssignments(db: Db, storeHash: string, requests: readonly AssignRequest[]): Promise<NewAssignment[]> {
  const problems: FieldProblem[] = [];
  const ids = requests.map((r) => r.productId);
  const [mirror, assigned, settings, plan] = await Promise.all([
    mirrorProducts(db, storeHash, ids),
    assignedAmong(db, storeHash, ids),
    getSettings(db, storeHash),
    getPlanUsage(db, storeHash),
  ]);
  const seen = new Map<number, string>();
  const planned: NewAssignment[] = [];
  const overLimit: FieldProblem[] = [];
  let room = plan.limit === null ? Number.POSITIVE_INFINITY : Math.max(0, plan.limit - plan.assigned);
  for (const request of requests) {
    const product = mirror.get(request.productId);
    const earlier = seen.get(request.productId);
    if (!product) {
      problems.push({ field: request.label, message: `there is no product ${request.productId} in the catalog (sync the catalog if it is new)` });
      continue;
    }
    if (earlier) {
      problems.push({ field: request.label, message: `${product.name} is named twice (also ${earlier}): a duplicate row` });
      continue;
    }
    seen.set(request.productId, request.label);
    if (assigned.has(request.productId)) {
      problems.push({ field: request.label, message: `${product.name} is already assigned to BackOrder` });
      continue;
    }
    if (room <= 0) {
      const problem = { field: request.label, message: '' };
      problems.push(problem);
      overLimit.push(problem);
      continue;
    }
    room -= 1;
    planned.push({
      storeHash,
      productId: product.productId,
      trackedBy: trackedByOf(product),
      savedInventoryTracking: product.inventoryTracking,
      savedAvailability: product.availability,
      items: itemsOf(product, request, settings.inventory.defaultBackorderThreshold, problems),
      state: 'assigning',
    });
  }
  // Every refused row gives the numbers for the whole request: assigned, the limit, what would make room.
  for (const problem of overLimit) {
    problem.message = `over the plan’s limit: ${limitWords(plan.assigned, plan.limit ?? 0, planned.length + overLimit.length, plan.plan.name)}`;
  }
  if (problems.length > 0) {
    throw validationError(`Nothing was assigned: ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix first.`, problems);
  }
  return planned;
}

/** Creates the planned assignments in one transaction, under the plan's lock; all or nothing. */
export async function createAssignments(
  db: Db,
  storeHash: string,
  planned: readonly NewAssignment[],
  /** What else commits with the assignments, or not at all (an import's outcome). */
  alongside?: (trx: Db) => Promise<void>,
): Promise<number[]> {
  try {
    return await db.transaction().execute(async (trx) => {
      await assertCanAssign(trx, storeHash, planned.length);
      // Not yet read from BigCommerce itself: the job saves its own tracking mode and availability.
      const itemIds = await insertAssignments(
        trx,
        planned.map((a) => ({ ...a, settingsSaved: false })),
      );
      await alongside?.(trx);
      return itemIds;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new AppError('conflict', 'Some of these products were assigned a moment ago by someone else: reload the page and try again.', {}, { cause: error });
    }
    throw error;
  }
}

/** Assigns products (one, bulk, CSV); BigCommerce follows in the `assign` job. Returns the new items. */
export async function assignProducts(
  deps: AssignmentDeps,
  storeHash: string,
  requests: readonly AssignRequest[],
): Promise<{ products: number; itemIds: number[] }> {
  if (requests.length === 0) throw new AppError('validation', 'Choose at least one product to assign.');
  const planned = await planAssignments(deps.db, storeHash, requests);
  const itemIds = await createAssignments(deps.db, storeHash, planned);
  await afterAssigning(deps, storeHash, itemIds);
  return { products: planned.length, itemIds };
}

/**
 * What follows committed assignments: selling checks and the storefront's cache (creating items is not a
 * stock change — their starting stock begins their ledger — but the same rule decides what follows it),
 * and the BigCommerce job.
 */
export async function afterAssigning(deps: AssignmentDeps, storeHash: string, itemIds: readonly number[]): Promise<void> {
  await followChange(deps, storeHash, { changed: itemIds });
  // Saved: with Redis away the products wait as they are, and the next admin page starts the run.
  await queueOrLeavePending(deps.db, deps.storeJobs, storeHash, 'assign', 'Waiting to turn off tracking in BigCommerce');
}
