/**
 * Catalog sync: reads the store's categories, brands and products (with variants) from BigCommerce page by
 * page, upserts each page in one transaction, reports progress per page, and — only once everything was
 * read — deletes what the run did not see, then merges the search indexes' pending entries. A run that
 * fails half-way deletes nothing; the next run completes the picture. The same run started again (its job retried, or put back to wait for the store's API
 * budget) goes on after the last product it saved: products come in id order.
 */
import type { Db } from '../db/database.ts';
import type { CatalogProduct, CatalogVariant, CatalogSource } from '../bigcommerce/index.ts';
import type { Progress, StoreJobData, StoreJobDeps } from '../jobs/jobs.service.ts';
import {
  deleteUnseenProducts,
  deleteUnseenTaxonomy,
  mergeSearchIndexes,
  replaceVariants,
  savedBySync,
  upsertBrands,
  upsertCategories,
  upsertProducts,
  type ProductRow,
  type VariantRow,
} from './catalog.repo.ts';

export interface SyncSummary {
  products: number;
  variants: number;
  categories: number;
  brands: number;
  /** Products deleted because BigCommerce no longer has them. */
  removed: number;
}

function optionLabels(variant: CatalogVariant): string {
  return variant.option_values.map((value) => `${value.option_display_name}: ${value.label}`).join(', ');
}

function dateOrNull(value: string | undefined): Date | null {
  const date = value ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** The mirror rows of one product. */
export function productRows(storeHash: string, syncJobId: number, product: CatalogProduct): { product: ProductRow; variants: VariantRow[] } {
  const variants = product.variants ?? [];
  return {
    product: {
      store_hash: storeHash,
      product_id: product.id,
      name: product.name,
      sku: product.sku ?? '',
      is_visible: product.is_visible,
      availability: product.availability,
      inventory_tracking: product.inventory_tracking,
      inventory_level: product.inventory_level ?? 0,
      variants_inventory_level: variants.reduce((sum, variant) => sum + (variant.inventory_level ?? 0), 0),
      variant_count: variants.length,
      category_ids: product.categories ?? [],
      brand_id: product.brand_id ? product.brand_id : null,
      date_modified: dateOrNull(product.date_modified),
      sync_job_id: syncJobId,
    },
    variants: variants.map((variant) => ({
      store_hash: storeHash,
      variant_id: variant.id,
      product_id: product.id,
      sku: variant.sku ?? '',
      option_labels: optionLabels(variant),
      option_pairs: JSON.stringify(variant.option_values.map((value) => [value.option_id, value.id])),
      inventory_level: variant.inventory_level ?? 0,
      purchasing_disabled: variant.purchasing_disabled,
    })),
  };
}

/** Saves one page of products and their variants, all or nothing. */
export async function saveProductPage(db: Db, storeHash: string, syncJobId: number, page: readonly CatalogProduct[]): Promise<number> {
  const rows = page.map((product) => productRows(storeHash, syncJobId, product));
  const variants = rows.flatMap((row) => row.variants);
  await db.transaction().execute(async (trx) => {
    await upsertProducts(
      trx,
      rows.map((row) => row.product),
    );
    await replaceVariants(
      trx,
      storeHash,
      rows.map((row) => row.product.product_id),
      variants,
    );
  });
  return variants.length;
}

/** Mirrors the whole catalog of the store as run `syncJobId`, reporting progress per page of products. */
export async function syncCatalog(db: Db, source: CatalogSource, storeHash: string, syncJobId: number, progress: Progress): Promise<SyncSummary> {
  const saved = await savedBySync(db, storeHash, syncJobId);
  const summary: SyncSummary = { products: saved.products, variants: saved.variants, categories: 0, brands: 0, removed: 0 };
  let total = await source.productCount();
  await progress.setTotal(total, `Reading ${total} products from BigCommerce`);
  if (saved.products > 0) await progress.advance(saved.products, `Synced ${saved.products} of ${total} products`);

  for await (const page of source.categories()) {
    await upsertCategories(
      db,
      page.map((c) => ({
        store_hash: storeHash,
        category_id: c.id,
        parent_id: c.parent_id ?? 0,
        name: c.name,
        is_visible: c.is_visible,
        sync_job_id: syncJobId,
      })),
    );
    summary.categories += page.length;
  }
  for await (const page of source.brands()) {
    await upsertBrands(
      db,
      page.map((b) => ({ store_hash: storeHash, brand_id: b.id, name: b.name, sync_job_id: syncJobId })),
    );
    summary.brands += page.length;
  }

  for await (const page of source.products(saved.lastProductId)) {
    summary.variants += await saveProductPage(db, storeHash, syncJobId, page);
    summary.products += page.length;
    // Products added while the sync runs: the bar grows rather than overflowing.
    if (summary.products > total) await progress.setTotal((total = summary.products));
    await progress.advance(page.length, `Synced ${summary.products} of ${total} products`);
  }

  summary.removed = await deleteUnseenProducts(db, storeHash, syncJobId);
  await deleteUnseenTaxonomy(db, storeHash, syncJobId);
  // The first searches after the sync would otherwise read through everything it wrote.
  await mergeSearchIndexes(db);
  return summary;
}

/** "1,234 products, 3 categories and 2 brands" for the merchant. */
export function describeSync(summary: SyncSummary): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  const removed = summary.removed > 0 ? `; ${n(summary.removed, 'product')} no longer in BigCommerce removed` : '';
  return `${n(summary.products, 'product')}, ${n(summary.categories, 'category', 'categories')} and ${n(summary.brands, 'brand')}${removed}`;
}

/** The catalog-sync job: re-reads the whole catalog into the mirror. */
export async function runCatalogSync(deps: StoreJobDeps, data: StoreJobData, progress: Progress): Promise<string> {
  const connection = await deps.gateway.connect(data.storeHash, { priority: 'background' });
  const summary = await syncCatalog(deps.db, connection.catalog, data.storeHash, data.jobId, progress);
  // A variant's purchasing_disabled or a product's availability read anew changes what the storefront answers:
  // the store-jobs processor drops its cached answers as the job ends (store-jobs.worker.ts).
  return `Catalog synced: ${describeSync(summary)}.`;
}
