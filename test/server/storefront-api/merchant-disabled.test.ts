import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHolds, liftHolds } from '../../../server/selling/purchasing-holds.repo.ts';
import { invalidateStorefront } from '../../../server/storefront-api/invalidation.ts';
import type { AvailabilityAnswer } from '../../../storefront/src/contract/storefront-api.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { assignItems, createStore } from '../../helpers/inventory.ts';

let app: TestApp;
const STORE = 'sfdis1';

/** A product in the mirror with its variants (`disabled`: purchasing_disabled), assigned with the items given. */
async function mirrorAndAssign(
  productId: number,
  variants: Array<{ id: number; disabled: boolean }>,
  items: Array<{ variantId: number | null; stock: number; threshold: number }>,
  availability: 'available' | 'disabled' = 'available',
) {
  const db = app.database.db;
  await db
    .insertInto('catalog_products')
    .values({ store_hash: STORE, product_id: productId, name: `P${productId}`, is_visible: true, availability, inventory_tracking: 'none' })
    .execute();
  await db
    .insertInto('catalog_variants')
    .values(
      variants.map((v, n) => ({
        store_hash: STORE,
        product_id: productId,
        variant_id: v.id,
        purchasing_disabled: v.disabled,
        option_pairs: JSON.stringify(variants.length > 1 ? [[9, 90 + n]] : []),
      })),
    )
    .execute();
  return assignItems(db, STORE, productId, items);
}

async function answer(products: string): Promise<AvailabilityAnswer> {
  await invalidateStorefront(app.redis, app.config.queuePrefix, STORE);
  const response = await fetch(`${app.url}/storefront-api/v1/stores/${STORE}/availability?products=${products}`);
  expect(response.status).toBe(200);
  return (await response.json()) as AvailabilityAnswer;
}

beforeAll(async () => {
  app = await startTestApp({ workers: false });
  await createStore(app.database.db, STORE);
});
afterAll(async () => {
  await app?.stop();
});

describe('items the merchant made unbuyable in BigCommerce', () => {
  it('when the merchant disabled a variant the app never held, then the answer leaves it out and promises no backorder for it', async () => {
    // The demo's Linen Apron: Navy disabled by the merchant ("Navy is back in March"), Sand buyable.
    await mirrorAndAssign(
      125,
      [
        { id: 1031, disabled: true },
        { id: 1032, disabled: false },
      ],
      [
        { variantId: 1031, stock: 0, threshold: 2 },
        { variantId: 1032, stock: 0, threshold: 2 },
      ],
    );
    const { variants } = (await answer('125')).products['125']!;
    expect(Object.keys(variants!)).toEqual(['1032']);
    expect(variants!['1032']!.status).toBe('backorder');
  });

  it('when the app itself disabled the variant (selling stopped), then the variant is still answered, as sold out', async () => {
    const [item] = await mirrorAndAssign(126, [{ id: 1261, disabled: true }], [{ variantId: 1261, stock: -2, threshold: 2 }]);
    const [hold] = await insertHolds(app.database.db, [{ storeHash: STORE, itemId: item!.id, productId: 126, variantId: 1261, disabledByApp: true }]);
    expect((await answer('126')).products['126']?.variants?.['1261']?.status).toBe('sold_out');

    // The hold lifted (stock rose) while the mirror still says disabled: that is no longer the app's doing.
    await liftHolds(app.database.db, STORE, [hold!.id]);
    expect((await answer('126')).products).toEqual({});
  });

  it("when the variant was already disabled by the merchant as selling stopped (a hold recorded as not the app's), then it stays left out", async () => {
    const [item] = await mirrorAndAssign(127, [{ id: 1271, disabled: true }], [{ variantId: 1271, stock: -2, threshold: 2 }]);
    await insertHolds(app.database.db, [{ storeHash: STORE, itemId: item!.id, productId: 127, variantId: 1271, disabledByApp: false }]);
    expect((await answer('127')).products).toEqual({});
  });

  it('when a product tracked as a whole has every variant disabled by the merchant, then it is left out; with one buyable, it is answered', async () => {
    await mirrorAndAssign(128, [{ id: 1281, disabled: true }], [{ variantId: null, stock: 0, threshold: 5 }]);
    await mirrorAndAssign(
      129,
      [
        { id: 1291, disabled: true },
        { id: 1292, disabled: false },
      ],
      [{ variantId: null, stock: 0, threshold: 5 }],
    );
    const { products } = await answer('128,129');
    expect(Object.keys(products)).toEqual(['129']);
    expect(products['129']!.item!.status).toBe('backorder');
    // The disabled variant is named with its options, so that choosing it on the product page shows nothing.
    expect(products['129']!.disabledVariants).toEqual({ '1291': { options: [[9, 90]] } });
  });

  it('when a product tracked as a whole has no variant disabled, or only the app disabled them (selling stopped), then no variant is named', async () => {
    await mirrorAndAssign(
      131,
      [
        { id: 1311, disabled: false },
        { id: 1312, disabled: false },
      ],
      [{ variantId: null, stock: 0, threshold: 5 }],
    );
    const [item] = await mirrorAndAssign(
      132,
      [
        { id: 1321, disabled: true },
        { id: 1322, disabled: true },
      ],
      [{ variantId: null, stock: -5, threshold: 5 }],
    );
    await insertHolds(
      app.database.db,
      [1321, 1322].map((variantId) => ({ storeHash: STORE, itemId: item!.id, productId: 132, variantId, disabledByApp: true })),
    );
    const { products } = await answer('131,132');
    expect(products['131']).toEqual({ item: expect.objectContaining({ status: 'backorder' }) });
    expect(products['132']).toEqual({ item: expect.objectContaining({ status: 'sold_out' }) });
  });

  it('when the product is hidden from the storefront, then it is left out: its stock and incoming dates are nobody’s business', async () => {
    await mirrorAndAssign(133, [{ id: 1331, disabled: false }], [{ variantId: null, stock: 7, threshold: 25 }]);
    expect(Object.keys((await answer('133')).products)).toEqual(['133']);
    await app.database.db.updateTable('catalog_products').set({ is_visible: false }).where('store_hash', '=', STORE).where('product_id', '=', 133).execute();
    expect((await answer('133')).products).toEqual({});
  });

  it('when the merchant set the product itself unavailable (availability disabled), then it is left out', async () => {
    await mirrorAndAssign(130, [{ id: 1301, disabled: false }], [{ variantId: null, stock: 0, threshold: 5 }], 'disabled');
    expect((await answer('130')).products).toEqual({});
  });
});
