/**
 * BigCommerce's native backorder limits (beta, ref §9) on a store that has them on. A product with a limit
 * of the merchant's is not assigned: two limits on one product would contradict each other. A limit the
 * app wrote itself (strict mode on native backorders) is the app's own — recorded on its items, so that an
 * assign run again (a retry, a product assigned anew before its limit was handed back) does not take it
 * for the merchant's. When the app lets go of an item (unassign, release all, back to flexible) it hands
 * its limit back: 0, as it was when assigned.
 */
import type { NativeBackorders, StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { limitsToHandBack, limitsWritten } from '../inventory/strict-levels.repo.ts';

export const NATIVE_BACKORDER_LIMIT =
  'The product has a backorder limit in BigCommerce’s own backorders, which are on for this store: two limits on one product would contradict each other. Remove its backorder limit in BigCommerce to assign it to BackOrder, or keep it on BigCommerce’s backorders.';

/**
 * Whether BigCommerce's native backorders give the product, or one of its variants, a backorder limit
 * that is not one the app wrote (`own`: the product's limits the app wrote and holds).
 */
export function hasMerchantLimit(
  productId: number,
  variantIds: readonly number[],
  native: ReadonlyMap<string, NativeBackorders>,
  own: ReadonlySet<number | null> | undefined,
): boolean {
  return [`p${productId}`, ...variantIds.map((id) => `v${id}`)].some((key) => {
    const found = native.get(key);
    return found !== undefined && found.limit !== 0 && !own?.has(found.limit);
  });
}

/** Hands the app's native backorder limits on these items back to BigCommerce (0, none), then forgets them. */
export async function handBackLimits(
  db: Db,
  connection: Pick<StoreConnection, 'writeBackorderLimits'>,
  storeHash: string,
  itemIds: readonly number[],
): Promise<void> {
  const items = await limitsToHandBack(db, storeHash, itemIds);
  if (items.length === 0) return;
  await connection.writeBackorderLimits(items.map((item) => ({ productId: item.product_id, variantId: item.variant_id, limit: 0 })));
  await limitsWritten(
    db,
    storeHash,
    items.map((item) => ({ itemId: item.id })),
  );
}
