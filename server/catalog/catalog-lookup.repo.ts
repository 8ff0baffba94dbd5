/** Looks products and variants up in the catalog mirror: by id for assigning, by SKU for CSV rows. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Availability, TrackingMode } from '../db/schema.ts';

export interface MirrorVariant {
  variantId: number;
  sku: string;
  optionLabels: string;
  inventoryLevel: number;
}

export interface MirrorProduct {
  productId: number;
  name: string;
  sku: string;
  availability: Availability;
  inventoryTracking: TrackingMode;
  inventoryLevel: number;
  variants: MirrorVariant[];
}

/** The mirrored products of `productIds` with their variants; unknown ids are absent from the map. */
export async function mirrorProducts(db: Db, storeHash: string, productIds: readonly number[]): Promise<Map<number, MirrorProduct>> {
  const result = new Map<number, MirrorProduct>();
  const ids = [...new Set(productIds)];
  for (let i = 0; i < ids.length; i += 5_000) {
    const slice = ids.slice(i, i + 5_000);
    const products = await db
      .selectFrom('catalog_products')
      .select(['product_id', 'name', 'sku', 'availability', 'inventory_tracking', 'inventory_level'])
      .where('store_hash', '=', storeHash)
      .where('product_id', '=', sql<number>`any(${slice}::int[])`)
      .execute();
    for (const p of products) {
      result.set(p.product_id, {
        productId: p.product_id,
        name: p.name,
        sku: p.sku,
        availability: p.availability,
        inventoryTracking: p.inventory_tracking,
        inventoryLevel: p.inventory_level,
        variants: [],
      });
    }
    const variants = await db
      .selectFrom('catalog_variants')
      .select(['product_id', 'variant_id', 'sku', 'option_labels', 'inventory_level'])
      .where('store_hash', '=', storeHash)
      .where('product_id', '=', sql<number>`any(${slice}::int[])`)
      .orderBy('variant_id')
      .execute();
    for (const v of variants) {
      result.get(v.product_id)?.variants.push({ variantId: v.variant_id, sku: v.sku, optionLabels: v.option_labels, inventoryLevel: v.inventory_level });
    }
  }
  return result;
}

/** Whether the product is sold in options (variants with option values) rather than as one base variant. */
export function hasOptions(product: MirrorProduct): boolean {
  return product.variants.some((v) => v.optionLabels !== '');
}

export interface SkuTarget {
  productId: number;
  /** null: the SKU is the product's own (or its base variant's). */
  variantId: number | null;
}

/** What each SKU names in the mirror (SKUs compare case-insensitively, as BigCommerce keeps them unique). */
export async function findSkus(db: Db, storeHash: string, skus: readonly string[]): Promise<Map<string, SkuTarget>> {
  const found = new Map<string, SkuTarget>();
  const wanted = [...new Set(skus.map((s) => s.toLowerCase()))];
  for (let i = 0; i < wanted.length; i += 5_000) {
    const slice = wanted.slice(i, i + 5_000);
    const { rows } = await sql<{ sku: string; productId: number; variantId: number | null }>`
      select lower(p.sku) as sku, p.product_id as "productId", null::int as "variantId"
        from catalog_products p where p.store_hash = ${storeHash} and p.sku <> '' and lower(p.sku) = any(${slice}::text[])
      union all
      select lower(v.sku), v.product_id, v.variant_id
        from catalog_variants v where v.store_hash = ${storeHash} and v.sku <> '' and lower(v.sku) = any(${slice}::text[])
          and v.option_labels <> ''`.execute(db);
    for (const row of rows) if (!found.has(row.sku)) found.set(row.sku, { productId: row.productId, variantId: row.variantId });
  }
  return found;
}
