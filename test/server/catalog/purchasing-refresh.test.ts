import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { refreshPurchasing } from '../../../server/catalog/catalog.repo.ts';
import { insertHolds, liftHolds, markHoldsApplied } from '../../../server/selling/purchasing-holds.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignItems, createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'store1';

async function mirrored(variantId: number): Promise<boolean> {
  const row = await database.db.selectFrom('catalog_variants').select('purchasing_disabled').where('variant_id', '=', variantId).executeTakeFirstOrThrow();
  return row.purchasing_disabled;
}
const databaseNow = async () => (await sql<{ now: Date }>`select now() as now`.execute(database.db)).rows[0]!.now;

beforeAll(async () => {
  await createStore(database.db, store);
  await database.db
    .insertInto('catalog_products')
    .values({ store_hash: store, product_id: 5, name: 'Apron', is_visible: true, availability: 'available', inventory_tracking: 'none' })
    .execute();
  await database.db
    .insertInto('catalog_variants')
    .values([51, 52].map((variant_id) => ({ store_hash: store, product_id: 5, variant_id })))
    .execute();
});

describe('a level read mirrors the variants’ purchasing_disabled', () => {
  it('when the merchant disabled a variant, then the read mirrors it and says which changed; read again, nothing changes', async () => {
    const readFrom = await databaseNow();
    expect(await refreshPurchasing(database.db, store, [{ variantId: 51, disabled: true }], readFrom)).toEqual([51]);
    expect(await mirrored(51)).toBe(true);
    expect(await refreshPurchasing(database.db, store, [{ variantId: 51, disabled: true }], readFrom)).toEqual([]);
  });

  it('when the app resumed the variant after the read began, then the read’s older value does not overwrite the mirror', async () => {
    const [item] = await assignItems(database.db, store, 5, [{ variantId: 52, stock: 0, threshold: 0 }]);
    const [hold] = await insertHolds(database.db, [{ storeHash: store, itemId: item!.id, productId: 5, variantId: 52, disabledByApp: true }]);
    await markHoldsApplied(database.db, store, [hold!.id], 'Sold out');
    const readFrom = await databaseNow();
    // The read saw the app's stop; then the app resumed (mirror written false, hold lifted) before the read was applied.
    await database.db.updateTable('catalog_variants').set({ purchasing_disabled: false }).where('variant_id', '=', 52).execute();
    await liftHolds(database.db, store, [hold!.id]);
    expect(await refreshPurchasing(database.db, store, [{ variantId: 52, disabled: true }], readFrom)).toEqual([]);
    expect(await mirrored(52)).toBe(false);

    // A read begun after the resume is believed: the merchant disabled it since.
    expect(await refreshPurchasing(database.db, store, [{ variantId: 52, disabled: true }], await databaseNow())).toEqual([52]);
  });
});
