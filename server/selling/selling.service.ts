/**
 * Stop and resume selling. When an item's salable quantity reaches 0, selling stops within seconds: its
 * variant (the base variant of a product without options; every variant of a product tracked as a whole)
 * gets `purchasing_disabled` with the store's message. When stock or threshold raise the salable quantity
 * above 0, the app lifts exactly what it set — never a variant the merchant disabled, and never a
 * pre-order or hidden-price product, whose purchasability is the merchant's own setup.
 *
 * Converges like every handler: it compares the desired state with what it recorded, under a lock per
 * item, so any number of triggers for one crossing write to BigCommerce once. The message is part of that
 * state: read under the lock, so that a check after the merchant words it anew (Settings queues one for every
 * stopped item) rewrites a variant stopped with the earlier text.
 */
import type { StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { KeyedLock } from '../db/keyed-lock.ts';
import { findItem } from '../inventory/inventory.repo.ts';
import { salableQty } from '../inventory/stock.service.ts';
import type { InventoryItem, PurchasingHold } from '../db/schema.ts';
import { activeHolds, insertHolds, liftHolds, markHoldsApplied, mirrorPurchasing, openHoldsOf } from './purchasing-holds.repo.ts';

/** What selling control asks of the store in BigCommerce. */
export type Purchasing = Pick<StoreConnection, 'purchasing' | 'setPurchasing'>;

export type SellingOutcome = 'stopped' | 'resumed' | 'reworded' | 'unchanged' | 'left-alone';

/** The store's "selling stopped" message as it is now (read when a variant is to show it). */
export type StoppedMessage = () => Promise<string>;

export async function convergeSelling(
  deps: { lock: KeyedLock; connection: Purchasing },
  storeHash: string,
  itemId: number,
  stoppedMessage: StoppedMessage,
): Promise<SellingOutcome> {
  return deps.lock.run(`selling:${storeHash}:${itemId}`, async (db: Db) => {
    const item = await findItem(db, storeHash, itemId);
    if (!item) return 'unchanged';
    const holds = await activeHolds(db, storeHash, itemId);
    // A released item is no longer the app's to stop; a hold a check set while it was being released
    // (after the release lifted the others) is lifted here, where the product still exists.
    if (item.retired_at) {
      if (holds.length === 0) return 'unchanged';
      const product = await deps.connection.purchasing(item.product_id);
      const ours = holds.filter((h) => h.disabled_by_app && product?.variants.some((v) => v.id === h.variant_id));
      if (ours.length > 0) await resume(deps.connection, db, storeHash, ours);
      await liftHolds(
        db,
        storeHash,
        holds.map((h) => h.id),
      );
      return 'resumed';
    }
    // A strict item is never held: BigCommerce's level, kept at the salable quantity, refuses what is beyond it.
    const shouldSell = item.strict_since !== null || salableQty(item.current_stock, item.backorder_threshold) > 0;

    if (!shouldSell && holds.length === 0) {
      const product = await deps.connection.purchasing(item.product_id);
      if (!product || product.availability === 'preorder' || product.isPriceHidden) return 'left-alone';
      const variants = item.variant_id === null ? product.variants : product.variants.filter((v) => v.id === item.variant_id);
      if (variants.length === 0) return 'left-alone';
      // Recorded first, applied second: whichever step a crash interrupts, the next check finishes it.
      const recorded = await insertHolds(
        db,
        variants.map((v) => ({ storeHash, itemId, productId: item.product_id, variantId: v.id, disabledByApp: !v.purchasingDisabled })),
      );
      await applyHolds(deps.connection, db, storeHash, recorded, await stoppedMessage());
      return 'stopped';
    }

    const pending = holds.filter((h) => h.applied_at === null);
    if (!shouldSell && pending.length > 0) {
      await applyHolds(deps.connection, db, storeHash, pending, await stoppedMessage());
      return 'stopped';
    }

    if (!shouldSell) {
      const message = await stoppedMessage();
      const earlierWording = holds.filter((h) => h.disabled_by_app && h.message !== message);
      if (earlierWording.length === 0) return 'unchanged';
      await applyHolds(deps.connection, db, storeHash, earlierWording, message);
      return 'reworded';
    }

    if (shouldSell && holds.length > 0) {
      const ours = holds.filter((h) => h.disabled_by_app);
      if (ours.length > 0) await resume(deps.connection, db, storeHash, ours);
      await liftHolds(
        db,
        storeHash,
        holds.map((h) => h.id),
      );
      return 'resumed';
    }
    return 'unchanged';
  });
}

/**
 * A variant added to a product tracked as a whole while its selling is stopped would be sold past the limit:
 * each such item holds the new variants too, recorded as pending for the item's next check to apply. Returns
 * the items that gained holds.
 */
export async function holdNewVariants(
  db: Db,
  storeHash: string,
  items: ReadonlyArray<Pick<InventoryItem, 'id' | 'product_id' | 'variant_id'>>,
  variants: ReadonlyArray<{ id: number; purchasing_disabled: boolean }>,
): Promise<number[]> {
  const whole = items.filter((item) => item.variant_id === null);
  const holds = await openHoldsOf(
    db,
    storeHash,
    whole.map((item) => item.id),
  );
  const gaining = whole.flatMap((item) => {
    const held = new Set(holds.filter((h) => h.item_id === item.id).map((h) => h.variant_id));
    const fresh = held.size === 0 ? [] : variants.filter((v) => !held.has(v.id));
    return fresh.map((v) => ({ storeHash, itemId: item.id, productId: item.product_id, variantId: v.id, disabledByApp: !v.purchasing_disabled }));
  });
  await insertHolds(db, gaining);
  return [...new Set(gaining.map((h) => h.itemId))];
}

/**
 * Tells BigCommerce to stop selling the variants the app holds (not those the merchant had disabled) with the
 * message, then marks the holds applied with it.
 */
async function applyHolds(connection: Purchasing, db: Db, storeHash: string, holds: PurchasingHold[], message: string): Promise<void> {
  const ours = holds.filter((h) => h.disabled_by_app);
  if (ours.length > 0) {
    await connection.setPurchasing(ours.map((h) => ({ variantId: h.variant_id, disabled: true, message })));
    await mirrorPurchasing(
      db,
      storeHash,
      ours.map((h) => h.variant_id),
      true,
    );
  }
  await markHoldsApplied(
    db,
    storeHash,
    holds.map((h) => h.id),
    message,
  );
}

/** Makes the variants the app disabled purchasable again in BigCommerce, and in the mirror (before their holds are lifted). */
async function resume(connection: Purchasing, db: Db, storeHash: string, ours: PurchasingHold[]): Promise<void> {
  await connection.setPurchasing(ours.map((h) => ({ variantId: h.variant_id, disabled: false, message: '' })));
  await mirrorPurchasing(
    db,
    storeHash,
    ours.map((h) => h.variant_id),
    false,
  );
}
