/**
 * The assign and edit forms (one product, or many on the bulk pages): their rows, from the catalog mirror
 * (assign: BigCommerce's levels and the store's default threshold) or from the items (edit, with each
 * item's ledger), and what a posted form asks the services to do.
 */
import type { Db } from '../db/database.ts';
import { AppError, validationError, type FieldProblem } from '../errors.ts';
import { mirrorProducts } from '../catalog/catalog-lookup.repo.ts';
import { editItems, type EditOutcome } from '../inventory/item-edits.service.ts';
import { listMovements } from '../inventory/inventory.repo.ts';
import { getSettings } from '../settings/settings.service.ts';
import { todayInStore } from '../stores/stores.repo.ts';
import { assignProducts, trackedByOf, type AssignmentDeps, type GivenValues } from './assignments.service.ts';
import { shortfallNote } from '../inventory/shortfall.ts';
import { formKeyOf } from '../http/form-keys.ts';
import { changedFrom, editRow, formRow, readRows, readShown, refreshShown, type FormRow } from './item-form.ts';

const LEDGER_ROWS = 20;

/** Rows to assign `productIds`; products unknown to the mirror or already assigned are named apart. */
export async function assignRows(
  db: Db,
  storeHash: string,
  productIds: readonly number[],
): Promise<{ rows: FormRow[]; unknown: number[]; assigned: string[] }> {
  const [mirror, settings, active] = await Promise.all([
    mirrorProducts(db, storeHash, productIds),
    getSettings(db, storeHash),
    db
      .selectFrom('assignments')
      .select('product_id')
      .where('store_hash', '=', storeHash)
      .where('released_at', 'is', null)
      .where('product_id', 'in', [...productIds, -1])
      .execute(),
  ]);
  const assignedIds = new Set(active.map((a) => a.product_id));
  const rows: FormRow[] = [];
  const unknown: number[] = [];
  const assigned: string[] = [];
  const threshold = settings.inventory.defaultBackorderThreshold;
  for (const productId of productIds) {
    const product = mirror.get(productId);
    if (!product) unknown.push(productId);
    else if (assignedIds.has(productId)) assigned.push(product.name);
    else if (trackedByOf(product) === 'product') {
      rows.push(
        formRow(
          { productId, variantId: null, name: product.name, optionLabels: '', sku: product.sku, first: true },
          { currentStock: Math.max(0, product.inventoryLevel), backorderThreshold: threshold, incomingStock: 0, backInStockDate: null },
        ),
      );
    } else {
      product.variants.forEach((v, i) =>
        rows.push(
          formRow(
            { productId, variantId: v.variantId, name: product.name, optionLabels: v.optionLabels, sku: v.sku, first: i === 0 },
            { currentStock: Math.max(0, v.inventoryLevel), backorderThreshold: threshold, incomingStock: 0, backInStockDate: null },
          ),
        ),
      );
    }
  }
  return { rows, unknown, assigned };
}

/** Rows to edit the assigned items of `productIds` (with their ledgers when asked), in product then variant order. */
export async function editRows(db: Db, storeHash: string, productIds: readonly number[], withLedger: boolean): Promise<FormRow[]> {
  if (productIds.length === 0) return [];
  const items = await db
    .selectFrom('inventory_items as i')
    .leftJoin('catalog_products as p', (j) => j.onRef('p.store_hash', '=', 'i.store_hash').onRef('p.product_id', '=', 'i.product_id'))
    .leftJoin('catalog_variants as v', (j) => j.onRef('v.store_hash', '=', 'i.store_hash').onRef('v.variant_id', '=', 'i.variant_id'))
    .select([
      'i.id',
      'i.product_id',
      'i.variant_id',
      'i.sku',
      'i.current_stock',
      'i.backorder_threshold',
      'i.incoming_stock',
      'i.back_in_stock_date',
      'i.unexplained_shortfall',
      'p.name',
      'v.option_labels',
    ])
    .where('i.store_hash', '=', storeHash)
    .where('i.retired_at', 'is', null)
    .where('i.product_id', 'in', [...productIds])
    .orderBy('i.product_id')
    .orderBy('i.variant_id')
    .execute();
  const order = new Map(productIds.map((id, i) => [id, i]));
  items.sort((a, b) => order.get(a.product_id)! - order.get(b.product_id)!);
  const rows: FormRow[] = [];
  let previous: number | undefined;
  for (const item of items) {
    const row = editRow(
      {
        productId: item.product_id,
        variantId: item.variant_id,
        itemId: item.id,
        name: item.name ?? `Product #${item.product_id}`,
        optionLabels: item.option_labels ?? '',
        sku: item.sku,
        first: item.product_id !== previous,
      },
      {
        currentStock: item.current_stock,
        backorderThreshold: item.backorder_threshold,
        incomingStock: item.incoming_stock,
        backInStockDate: item.back_in_stock_date,
      },
    );
    if (item.unexplained_shortfall > 0) row.shortfallNote = shortfallNote(item.unexplained_shortfall);
    previous = item.product_id;
    if (withLedger) {
      row.movements = (await listMovements(db, storeHash, item.id, LEDGER_ROWS)).map((m) => ({
        at: m.created_at,
        delta: m.delta,
        stockAfter: m.stock_after,
        reason: m.reason,
        note: m.note,
      }));
    }
    rows.push(row);
  }
  return rows;
}

/** Assigns what the posted form gives for `rows`; throws a validation error (nothing assigned) with every problem. */
export async function assignFromForm(deps: AssignmentDeps, storeHash: string, rows: FormRow[], body: Record<string, unknown>): Promise<number> {
  const problems: FieldProblem[] = [];
  const values = readRows(body, rows, problems, await todayInStore(deps.db, storeHash));
  if (problems.length > 0) throw validationError(`Nothing was assigned: ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix first.`, problems);
  const byProduct = new Map<number, { label: string; values: Map<number | null, GivenValues> }>();
  for (const row of rows) {
    let request = byProduct.get(row.productId);
    if (!request) byProduct.set(row.productId, (request = { label: row.name, values: new Map() }));
    request.values.set(row.variantId, { values: values.get(row.key)!, label: row.label });
  }
  const { products } = await assignProducts(
    deps,
    storeHash,
    [...byProduct].map(([productId, r]) => ({ productId, label: r.label, values: r.values })),
  );
  return products;
}

/**
 * Saves what the posted form changed for `rows` (their items), all or nothing: each field relative to what
 * the page showed (`editItems` with `shown`), once per edit key. A refused save leaves the rows ready to be
 * shown again.
 */
export async function editFromForm(deps: AssignmentDeps, storeHash: string, rows: FormRow[], body: Record<string, unknown>): Promise<EditOutcome> {
  const problems: FieldProblem[] = [];
  const given = readRows(body, rows, problems, await todayInStore(deps.db, storeHash));
  const shown = readShown(body, rows, problems);
  try {
    if (problems.length > 0) throw validationError(`Nothing was saved: ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix first.`, problems);
    const edits = rows.map((row) => {
      const before = shown.get(row.key)!;
      return { itemId: row.itemId!, label: row.label, values: changedFrom(given.get(row.key)!, before), shown: before };
    });
    return await editItems(deps, storeHash, edits, { reason: 'manual', runKey: formKeyOf(body, 'editKey') });
  } catch (error) {
    if (error instanceof AppError) refreshShown(rows, given, shown, error.kind === 'conflict');
    throw error;
  }
}
