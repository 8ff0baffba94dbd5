/**
 * Matches a batch of CSV rows to the product (and variant) each names, through the catalog mirror; every
 * row that names no known product or variant is reported with its line. Rows naming the same item as
 * another, and items not assigned, are found among all the file's rows in SQL (import-rows.repo.ts). Then
 * "import to assign" turns the rows into assign requests (one per product, the rows of its variants merged).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { FieldProblem } from '../errors.ts';
import type { AssignRequest, GivenValues } from '../assignments/assignments.service.ts';
import { findSkus, mirrorProducts, type MirrorProduct } from '../catalog/catalog-lookup.repo.ts';
import type { ItemValues } from '../inventory/item-values.ts';
import type { CsvRow } from './csv-read.ts';
import type { StagedRow } from './import-rows.repo.ts';

interface Target {
  row: CsvRow;
  productId: number;
  variantId: number | null;
}

/** The SKUs the app recorded for the assigned items of `productIds` (the SKU when each was assigned). */
async function recordedSkus(db: Db, storeHash: string, productIds: readonly number[]): Promise<Map<number, Array<{ variantId: number | null; sku: string }>>> {
  const recorded = new Map<number, Array<{ variantId: number | null; sku: string }>>();
  const ids = [...new Set(productIds)];
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await db
      .selectFrom('inventory_items')
      .select(['product_id', 'variant_id', 'sku'])
      .where('store_hash', '=', storeHash)
      .where('retired_at', 'is', null)
      .where('product_id', '=', sql<number>`any(${ids.slice(i, i + 10_000)}::int[])`)
      .execute();
    for (const row of rows) recorded.set(row.product_id, [...(recorded.get(row.product_id) ?? []), { variantId: row.variant_id, sku: row.sku }]);
  }
  return recorded;
}

/**
 * A row naming its product by id: the ids decide. A SKU beside them only has to be the item's SKU now in
 * BigCommerce or the one recorded when it was assigned (so a file exported before a SKU was renamed still
 * imports); without variant_id, it picks the variant it belongs to.
 */
function targetByIds(
  row: CsvRow,
  product: MirrorProduct,
  recorded: ReadonlyArray<{ variantId: number | null; sku: string }>,
  problems: FieldProblem[],
): Target | undefined {
  const { productId } = product;
  if (row.variantId !== undefined && !product.variants.some((v) => v.variantId === row.variantId)) {
    problems.push({ field: `line ${row.line}, column variant_id`, message: `product ${productId} has no variant ${row.variantId}` });
    return undefined;
  }
  if (!row.sku) return { row, productId, variantId: row.variantId ?? null };
  const wanted = row.sku.toLowerCase();
  const skusOf = [
    { variantId: null, sku: product.sku },
    ...product.variants
      .filter((v) => v.optionLabels !== '' || v.variantId === row.variantId)
      .map((v) => ({ variantId: v.variantId as number | null, sku: v.sku })),
    ...recorded,
  ];
  const match = skusOf.find((s) => s.sku !== '' && s.sku.toLowerCase() === wanted && (row.variantId === undefined || s.variantId === row.variantId));
  if (!match) {
    const what =
      row.variantId === undefined ? `product ${productId} (${product.name}) or one of its variants` : `variant ${row.variantId} of product ${productId}`;
    problems.push({ field: `line ${row.line}, column sku`, message: `SKU ${row.sku.slice(0, 60)} is not the SKU of ${what}` });
    return undefined;
  }
  return { row, productId, variantId: row.variantId ?? match.variantId };
}

/** The product (and variant) each row of a batch names: by ids when given, else by SKU. */
export async function matchRows(db: Db, storeHash: string, rows: readonly CsvRow[], problems: FieldProblem[]): Promise<StagedRow[]> {
  const byId = rows.filter((r) => r.productId !== undefined).map((r) => r.productId!);
  const skus = await findSkus(
    db,
    storeHash,
    rows.filter((r) => r.sku && r.productId === undefined).map((r) => r.sku),
  );
  const mirror = await mirrorProducts(db, storeHash, byId);
  const recorded = await recordedSkus(db, storeHash, byId);
  const matched: StagedRow[] = [];
  for (const row of rows) {
    let target: Target | undefined;
    if (row.productId !== undefined) {
      const product = mirror.get(row.productId);
      if (!product)
        problems.push({
          field: `line ${row.line}, column product_id`,
          message: `there is no product ${row.productId} in the catalog (sync the catalog if it is new)`,
        });
      else target = targetByIds(row, product, recorded.get(row.productId) ?? [], problems);
    } else if (row.sku) {
      const found = skus.get(row.sku.toLowerCase());
      if (!found)
        problems.push({ field: `line ${row.line}, column sku`, message: `unknown SKU “${row.sku.slice(0, 60)}”: no product or variant of the catalog has it` });
      else target = { row, ...found };
    }
    if (target) matched.push({ line: row.line, productId: target.productId, variantId: target.variantId, values: row.values });
  }
  return matched;
}

/**
 * The values a row gives an item to assign. An empty back_in_stock_date ("no date") gives nothing: an item
 * starts without a date anyway, and the template has the column, so its every row would seem to give values.
 */
function givenToAssign(values: ItemValues): ItemValues {
  const { backInStockDate, ...rest } = values;
  return backInStockDate === null ? rest : values;
}

/** "Import to assign": one request per product, its rows' values by variant; `rows` come a product's together. */
export function assignRequestsOf(rows: readonly StagedRow[]): AssignRequest[] {
  const byProduct = new Map<number, { label: string; values: Map<number | null, GivenValues> }>();
  for (const row of rows) {
    let request = byProduct.get(row.productId);
    if (!request) byProduct.set(row.productId, (request = { label: `line ${row.line}`, values: new Map() }));
    // A row with no values only asks for the product to be assigned; it says nothing about how it is tracked.
    const values = givenToAssign(row.values);
    if (Object.keys(values).length > 0)
      request.values.set(row.variantId, {
        values,
        label: `line ${row.line}`,
        stockField: `line ${row.line}, column current_stock`,
        dateField: `line ${row.line}, column back_in_stock_date`,
      });
  }
  return [...byProduct].map(([productId, r]) => ({ productId, label: r.label, values: r.values }));
}
