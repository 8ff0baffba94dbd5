/**
 * A product tracked by variant holds one item per variant; variants come and go in BigCommerce (a
 * `store/sku/created` or `store/sku/deleted` event, or a difference the assign job finds). This makes
 * the active items match the variants BigCommerce has: a new variant gets an item (its level as stock,
 * the store's default threshold), a variant that is gone has its item retired (history kept).
 */
import type { CatalogProduct, StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { Assignment, InventoryItem } from '../db/schema.ts';
import { insertItems, retireItems } from './assignments.repo.ts';

export interface VariantItemChanges {
  added: number[];
  retired: number[];
}

/** Only variants sold as options count; the base variant of a product without options has no item of its own. */
function optionVariants(product: CatalogProduct) {
  return (product.variants ?? []).filter((v) => v.option_values.length > 0);
}

/** Converges the assignment's items with the product's variants; nothing to do for a product tracked as a whole. */
export async function reconcileVariantItems(
  db: Db,
  assignment: Pick<Assignment, 'id' | 'store_hash' | 'product_id' | 'tracked_by'>,
  items: readonly InventoryItem[],
  product: CatalogProduct,
  defaultThreshold: number | null,
): Promise<VariantItemChanges> {
  if (assignment.tracked_by !== 'variant') return { added: [], retired: [] };
  const variants = optionVariants(product);
  const present = new Set(variants.map((v) => v.id));
  const held = new Set(items.map((i) => i.variant_id));
  const gone = items.filter((i) => i.variant_id !== null && !present.has(i.variant_id)).map((i) => i.id);
  const fresh = variants.filter((v) => !held.has(v.id));
  if (gone.length === 0 && fresh.length === 0) return { added: [], retired: [] };
  return db.transaction().execute(async (trx) => {
    // Lock the assignment so two events about the same product cannot add the same variant twice.
    const live = await trx
      .selectFrom('assignments')
      .select('id')
      .where('store_hash', '=', assignment.store_hash)
      .where('id', '=', assignment.id)
      .where('released_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!live) return { added: [], retired: [] };
    const current = await trx
      .selectFrom('inventory_items')
      .select(['id', 'variant_id'])
      .where('store_hash', '=', assignment.store_hash)
      .where('assignment_id', '=', assignment.id)
      .where('retired_at', 'is', null)
      .forNoKeyUpdate()
      .execute();
    const retired = current.filter((i) => i.variant_id !== null && !present.has(i.variant_id)).map((i) => i.id);
    await retireItems(trx, assignment.store_hash, retired);
    const heldNow = new Set(current.map((i) => i.variant_id));
    const added = await insertItems(
      trx,
      assignment.store_hash,
      assignment.id,
      assignment.product_id,
      variants
        .filter((v) => !heldNow.has(v.id))
        .map((v) => ({
          variantId: v.id,
          sku: v.sku,
          currentStock: Math.max(0, v.inventory_level ?? 0),
          backorderThreshold: defaultThreshold,
          bigcommerceLevel: v.inventory_level ?? 0,
        })),
    );
    return { added: added.map((i) => i.id), retired };
  });
}

/** The level BigCommerce reports for an item: the product's own, or its variant's; undefined when it has none. */
export function levelFor(item: Pick<InventoryItem, 'variant_id'>, product: CatalogProduct): number | undefined {
  if (item.variant_id === null) return product.inventory_level;
  const level = product.variants?.find((v) => v.id === item.variant_id)?.inventory_level;
  return level ?? undefined;
}

/** The levels BigCommerce reports for the assignment's items (those that have one). */
export function levelsOf(
  entry: { items: ReadonlyArray<Pick<InventoryItem, 'id' | 'variant_id'>> },
  product: CatalogProduct,
): Array<{ itemId: number; level: number }> {
  return entry.items.flatMap((item) => {
    const level = levelFor(item, product);
    return level === undefined ? [] : [{ itemId: item.id, level }];
  });
}

/** The levels of `itemIds` among the assignments' items, read from BigCommerce now (no request when there are none). */
export async function levelsRead(
  connection: Pick<StoreConnection, 'productsByIds'>,
  entries: ReadonlyArray<{ assignment: Pick<Assignment, 'product_id'>; items: ReadonlyArray<Pick<InventoryItem, 'id' | 'variant_id'>> }>,
  itemIds: ReadonlySet<number>,
): Promise<Array<{ itemId: number; level: number }>> {
  const wanted = entries.filter((e) => e.items.some((i) => itemIds.has(i.id)));
  if (wanted.length === 0) return [];
  const products = new Map((await connection.productsByIds(wanted.map((e) => e.assignment.product_id))).map((p) => [p.id, p]));
  return wanted.flatMap((e) => {
    const product = products.get(e.assignment.product_id);
    return product ? levelsOf({ items: e.items.filter((i) => itemIds.has(i.id)) }, product) : [];
  });
}
