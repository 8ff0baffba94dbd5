/** The All Products list as the merchant reads it: words for BigCommerce's states, and the stock that counts. */
import type { Db } from '../db/database.ts';
import type { Availability } from '../db/schema.ts';
import { pagerOf, type ListParams, type Pager } from '../admin/paging.ts';
import { listProducts, type ProductListRow } from './product-list.repo.ts';

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
}

/**
 * The stock that counts: for an assigned product the app's own current stock (negative when units are
 * owed); otherwise BigCommerce's level for the tracking mode in force.
 */
export function productLine(row: ProductListRow): ProductLine {
  let currentStock: number | null;
  let stockNote = '';
  if (row.assigned) {
    currentStock = row.appStock ?? 0;
    if (currentStock < 0) stockNote = `${-currentStock} backordered`;
  } else if (row.inventoryTracking === 'product') {
    currentStock = row.inventoryLevel;
  } else if (row.inventoryTracking === 'variant') {
    currentStock = row.variantsInventoryLevel;
    stockNote = `across ${row.variantCount} variant${row.variantCount === 1 ? '' : 's'}`;
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
  };
}

/** One page of All Products for the store. */
export async function productsPage(db: Db, storeHash: string, params: ListParams): Promise<{ products: ProductLine[]; pager: Pager }> {
  const { rows, total } = await listProducts(db, { storeHash, search: params.search, limit: params.limit, offset: params.offset });
  return { products: rows.map(productLine), pager: pagerOf(params, total, rows.length) };
}
