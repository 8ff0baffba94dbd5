/** The All Products list as the merchant reads it: words for BigCommerce's states, and the stock that counts. */
import type { Db } from '../db/database.ts';
import type { Availability } from '../db/schema.ts';
import type { KeysetPage, PageAt } from '../admin/paging.ts';
import { plural } from '../plural.ts';
import { listProducts, type ProductFilters, type ProductListRow } from './product-list.repo.ts';

export const AVAILABILITY_LABELS: Record<Availability, string> = {
  available: 'Available',
  disabled: 'Disabled',
  preorder: 'Pre-order',
};

export interface ProductLine {
  productId: number;
  name: string;
  sku: string;
  visibility: string;
  availability: string;
  /** null: BigCommerce does not track this product's inventory. */
  currentStock: number | null;
  stockNote: string;
  assigned: boolean;
  /** "Assigning…" or "Unassigning…" while BigCommerce has not confirmed; empty otherwise. */
  stateLabel: string;
}

const acrossVariants = (count: number) => `across ${plural(count, 'variant')}`;

/**
 * The stock that counts: for an assigned product the app's own current stock (negative when units are
 * owed), with the units owed to shoppers named — a variant's owed units would hide in the sum of the
 * others' stock; otherwise BigCommerce's level for the tracking mode in force.
 */
export function productLine(row: ProductListRow): ProductLine {
  let currentStock: number | null;
  let stockNote = '';
  if (row.assigned) {
    currentStock = row.appStock ?? 0;
    const notes = [
      (row.appBackordered ?? 0) > 0 ? `${row.appBackordered} backordered` : '',
      (row.appShort ?? 0) > 0 ? `${row.appShort} short` : '',
      // Its items are its variants when there are several (a product tracked as a whole has one).
      (row.appItems ?? 0) > 1 ? acrossVariants(row.appItems!) : '',
    ];
    stockNote = notes.filter(Boolean).join(', ');
  } else if (row.inventoryTracking === 'product') {
    currentStock = row.inventoryLevel;
  } else if (row.inventoryTracking === 'variant') {
    currentStock = row.variantsInventoryLevel;
    stockNote = acrossVariants(row.variantCount);
  } else {
    currentStock = null;
    stockNote = 'Not tracked';
  }
  return {
    productId: row.productId,
    name: row.name,
    sku: row.sku,
    visibility: row.isVisible ? 'Visible' : 'Hidden',
    availability: AVAILABILITY_LABELS[row.availability],
    currentStock,
    stockNote,
    assigned: row.assigned,
    stateLabel: row.state === 'assigning' ? 'Assigning…' : row.state === 'unassigning' ? 'Unassigning…' : '',
  };
}

/** The filters from the query string (`visibility`, `availability`, `assigned`); unknown values mean any. */
export function filtersOf(query: Record<string, unknown>): ProductFilters {
  const pick = <T extends string>(value: unknown, allowed: readonly T[]) => (allowed.includes(value as T) ? (value as T) : undefined);
  const filters: ProductFilters = {};
  const visibility = pick(query.visibility, ['visible', 'hidden'] as const);
  const availability = pick(query.availability, ['available', 'disabled', 'preorder'] as const);
  const assigned = pick(query.assigned, ['yes', 'no'] as const);
  if (visibility) filters.visibility = visibility;
  if (availability) filters.availability = availability;
  if (assigned) filters.assigned = assigned;
  return filters;
}

/** What an All Products page asks for: the search, where the page starts, and its length. */
export interface ProductsPageParams {
  search: string;
  at: PageAt;
  limit: number;
}

/** One page of All Products for the store, and how many products match (at most COUNT_CAP; `totalCapped`: more). */
export async function productsPage(
  db: Db,
  storeHash: string,
  params: ProductsPageParams,
  filters: ProductFilters = {},
): Promise<{ page: KeysetPage<ProductListRow>; products: ProductLine[]; total: number; totalCapped: boolean }> {
  const { page, total, totalCapped } = await listProducts(db, { storeHash, search: params.search, filters, limit: params.limit, at: params.at });
  return { page, products: page.rows.map(productLine), total, totalCapped };
}
