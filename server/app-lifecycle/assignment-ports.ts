/**
 * The assignment side of the ports over the real client: reading products with their variants, turning
 * tracking off in BigCommerce's batches of 10, and handing products back on unassign. A product deleted
 * in BigCommerce makes a batch fail as a whole; the batch is then sent one product at a time so the
 * others still go through and the deleted ones are reported, never retried forever.
 */
import {
  NotFoundError,
  PRODUCT_BATCH_LIMIT,
  ValidationError,
  type BigCommerceClient,
  type ProductBatchUpdate,
  type VariantBatchUpdate,
} from '../bigcommerce/index.ts';
import type { BatchOutcome, BcProduct, ProductHandBack, StoreConnection } from './ports.ts';

export const PRODUCT_FIELDS = ['id', 'name', 'sku', 'is_visible', 'availability', 'inventory_tracking', 'inventory_level', 'categories', 'brand_id', 'date_modified'];

/** A refusal that means "no such product or variant" rather than trouble worth retrying. */
function isGone(error: unknown): boolean {
  return error instanceof NotFoundError || (error instanceof ValidationError && /not (be )?found|does not exist|no such/i.test(JSON.stringify([error.title, error.errors])));
}

function assertBatch(size: number): void {
  if (size > PRODUCT_BATCH_LIMIT) throw new Error(`at most ${PRODUCT_BATCH_LIMIT} products a batch, ${size} given`);
}

/** Sends the batch; when it fails because some product is gone, sends each alone and reports the gone ones. */
async function productBatch(client: BigCommerceClient, updates: ProductBatchUpdate[]): Promise<BatchOutcome> {
  if (updates.length === 0) return { missing: [] };
  try {
    await client.catalog.products.updateBatch(updates);
    return { missing: [] };
  } catch (error) {
    if (!isGone(error)) throw error;
  }
  const missing: number[] = [];
  for (const update of updates) {
    const { id, ...changes } = update;
    try {
      await client.catalog.products.update(id, changes);
    } catch (error) {
      if (!isGone(error)) throw error;
      missing.push(id);
    }
  }
  return { missing };
}

async function variantWrites(client: BigCommerceClient, updates: VariantBatchUpdate[], productOf: Map<number, number>): Promise<void> {
  if (updates.length === 0) return;
  try {
    await client.catalog.variants.updateInChunks(updates);
    return;
  } catch (error) {
    if (!isGone(error)) throw error;
  }
  for (const { id, ...changes } of updates) {
    try {
      await client.catalog.variants.update(productOf.get(id)!, id, changes);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
}

/** Hands at most 10 products back in one batch request (tracking, availability, variants made purchasable). */
export async function handBack(client: BigCommerceClient, products: readonly ProductHandBack[]): Promise<BatchOutcome> {
  assertBatch(products.length);
  const updates: ProductBatchUpdate[] = [];
  for (const product of products) {
    const tracking = product.tracking;
    const productLevel = tracking?.mode === 'product' ? tracking.levels?.find((l) => l.variantId === null)?.level : undefined;
    const update: ProductBatchUpdate = {
      id: product.productId,
      ...(tracking ? { inventory_tracking: tracking.mode } : {}),
      ...(productLevel !== undefined ? { inventory_level: productLevel } : {}),
      ...(product.notPurchasable ? { availability: 'disabled' as const } : {}),
    };
    if (Object.keys(update).length > 1) updates.push(update);
  }
  const outcome = await productBatch(client, updates);
  const gone = new Set(outcome.missing);
  const variants = new Map<number, VariantBatchUpdate>();
  const productOf = new Map<number, number>();
  for (const product of products) {
    if (gone.has(product.productId)) continue;
    const levels = product.tracking?.mode === 'variant' ? (product.tracking.levels ?? []) : [];
    for (const { variantId, level } of levels) {
      if (variantId === null) continue;
      variants.set(variantId, { ...variants.get(variantId), id: variantId, inventory_level: level });
      productOf.set(variantId, product.productId);
    }
    for (const variantId of product.enableVariants ?? []) {
      variants.set(variantId, { ...variants.get(variantId), id: variantId, purchasing_disabled: false });
      productOf.set(variantId, product.productId);
    }
  }
  await variantWrites(client, [...variants.values()], productOf);
  return outcome;
}

/** The assignment calls of a store connection. */
export function assignmentCalls(
  client: BigCommerceClient,
  rate: () => Promise<number | undefined>,
): Pick<StoreConnection, 'productsByIds' | 'takeOverTracking' | 'handBack' | 'requestRate'> {
  return {
    async productsByIds(productIds) {
      const products: BcProduct[] = [];
      if (productIds.length === 0) return products;
      for await (const page of client.catalog.products.pagesByIds(productIds, { include: ['variants'], include_fields: PRODUCT_FIELDS })) {
        products.push(...(page as unknown as BcProduct[]));
      }
      return products;
    },
    async takeOverTracking(productIds) {
      assertBatch(productIds.length);
      return productBatch(client, productIds.map((id) => ({ id, inventory_tracking: 'none' })));
    },
    handBack: (products) => handBack(client, products),
    requestRate: rate,
  };
}
