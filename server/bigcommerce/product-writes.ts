/**
 * The writes assigning and unassigning make: turning tracking off in BigCommerce's batches of 10, and
 * handing products back (tracking with its levels, availability, variants made purchasable again). A
 * product deleted in BigCommerce makes a batch fail as a whole; the batch is then sent one product at a
 * time so the others still go through and the deleted ones are reported, never retried forever.
 */
import { PRODUCT_BATCH_LIMIT } from './catalog.ts';
import type { ProductBatchUpdate, VariantBatchUpdate } from './catalog.types.ts';
import type { BigCommerceClient } from './client.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { BatchOutcome, ProductHandBack, TrackingRestore } from './gateway.types.ts';

/** A refusal that means "no such product or variant" rather than trouble worth retrying. */
function isGone(error: unknown): boolean {
  return (
    error instanceof NotFoundError ||
    (error instanceof ValidationError && /not (be )?found|does not exist|no such/i.test(JSON.stringify([error.title, error.errors])))
  );
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

/** Turns tracking off on at most 10 products, in one request unless one of them is gone. */
export async function takeOverTracking(client: BigCommerceClient, productIds: readonly number[]): Promise<BatchOutcome> {
  assertBatch(productIds.length);
  return productBatch(
    client,
    productIds.map((id) => ({ id, inventory_tracking: 'none' })),
  );
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

/** Tracking on again, with the levels to write: on the product itself, or on each variant. */
export async function restoreTracking(client: BigCommerceClient, restore: TrackingRestore): Promise<void> {
  const productLevel = restore.mode === 'product' ? restore.levels?.find((l) => l.variantId === null)?.level : undefined;
  try {
    await client.catalog.products.update(restore.productId, {
      inventory_tracking: restore.mode,
      ...(productLevel !== undefined ? { inventory_level: productLevel } : {}),
    });
  } catch (error) {
    // A product deleted in BigCommerce has nothing left to hand back.
    if (error instanceof NotFoundError) return;
    throw error;
  }
  if (restore.mode === 'variant' && restore.levels) {
    const variants = restore.levels.flatMap((l) => (l.variantId === null ? [] : [{ id: l.variantId, inventory_level: l.level }]));
    await client.catalog.variants.updateInChunks(variants);
  }
}
