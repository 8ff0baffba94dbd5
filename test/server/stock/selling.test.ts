import { beforeAll, describe, expect, it } from 'vitest';
import { insertAssignment } from '../../../server/assignments/assignments.repo.ts';
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import type { ProductPurchasing } from '../../../server/bigcommerce/index.ts';
import { convergeSelling, type Purchasing } from '../../../server/selling/selling.service.ts';
import { onProductEvent } from '../../../server/assignments/catalog-events.service.ts';
import { bcProduct } from '../../helpers/fake-bigcommerce.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, editItem, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase({ poolSize: 10 });
const store = 'store1';
beforeAll(async () => {
  await createStore(database.db, store);
});

/** A product in BigCommerce as the store's connection sees it, recording every write and the message each variant shows. */
function fakeCatalog(product: ProductPurchasing) {
  const writes: Array<{ variantId: number; disabled: boolean }> = [];
  const shown = new Map<number, string>();
  const connection: Purchasing = {
    async purchasing() {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return structuredClone(product);
    },
    async setPurchasing(changes) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const change of changes) {
        writes.push({ variantId: change.variantId, disabled: change.disabled });
        shown.set(change.variantId, change.message);
        product.variants.find((v) => v.id === change.variantId)!.purchasingDisabled = change.disabled;
      }
    },
  };
  return { connection, writes, shown, product };
}

/** A product with a variant the app may stop and one the merchant disabled, and what a check runs with. */
function withMerchantsVariant(ours: number, merchants: number) {
  const catalog = fakeCatalog({
    availability: 'available',
    isPriceHidden: false,
    variants: [
      { id: ours, purchasingDisabled: false },
      { id: merchants, purchasingDisabled: true }, // the merchant's choice
    ],
  });
  return { catalog, deps: { lock: keyedLock(database), connection: catalog.connection } };
}

/** The store's "selling stopped" message, as the selling worker reads it. */
const stoppedMessage = async () => 'Sold out: back soon';

describe('selling stops at 0 salable and resumes above it', () => {
  it('when twenty triggers race for one crossing, then purchasing_disabled is written once, and lifted once', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    const catalog = fakeCatalog({ availability: 'available', isPriceHidden: false, variants: [{ id: 7, purchasingDisabled: false }] });
    const deps = { lock: keyedLock(database), connection: catalog.connection };

    const outcomes = await Promise.all(Array.from({ length: 20 }, () => convergeSelling(deps, store, item.id, stoppedMessage)));
    expect(outcomes.filter((o) => o === 'stopped')).toHaveLength(1);
    expect(catalog.writes).toEqual([{ variantId: 7, disabled: true }]);

    await editItem(stockDeps(database.db), store, item.id, { backorderThreshold: 5 });
    await Promise.all(Array.from({ length: 20 }, () => convergeSelling(deps, store, item.id, stoppedMessage)));
    expect(catalog.writes).toEqual([
      { variantId: 7, disabled: true },
      { variantId: 7, disabled: false },
    ]);
  });

  it('when the merchant had disabled a variant, then it stays disabled after the app stops and resumes selling', async () => {
    const { items } = await database.db.transaction().execute((trx) =>
      insertAssignment(trx, {
        storeHash: store,
        productId: 4242,
        trackedBy: 'product',
        savedInventoryTracking: 'product',
        savedAvailability: 'available',
        items: [{ variantId: null, sku: 'TEE', currentStock: 0, backorderThreshold: 0, bigcommerceLevel: 0 }],
      }),
    );
    const item = items[0]!;
    const { catalog, deps } = withMerchantsVariant(1, 2);

    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('stopped');
    await editItem(stockDeps(database.db), store, item.id, { currentStock: 10 });
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('resumed');

    expect(catalog.writes).toEqual([
      { variantId: 1, disabled: true },
      { variantId: 1, disabled: false },
    ]);
    expect(catalog.product.variants).toEqual([
      { id: 1, purchasingDisabled: false },
      { id: 2, purchasingDisabled: true },
    ]);
  });

  it('when the product is a pre-order or hides its price, then the app leaves its purchasability alone', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    for (const product of [
      { availability: 'preorder' as const, isPriceHidden: false, variants: [{ id: 3, purchasingDisabled: false }] },
      { availability: 'disabled' as const, isPriceHidden: true, variants: [{ id: 3, purchasingDisabled: false }] },
    ]) {
      const catalog = fakeCatalog(product);
      expect(await convergeSelling({ lock: keyedLock(database), connection: catalog.connection }, store, item.id, stoppedMessage)).toBe('left-alone');
      expect(catalog.writes).toEqual([]);
    }
  });

  it('when BigCommerce took the stop but its answer was lost, then the retry keeps the variant as the app’s, and resuming enables it', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    const catalog = fakeCatalog({ availability: 'available', isPriceHidden: false, variants: [{ id: 11, purchasingDisabled: false }] });
    const write = catalog.connection.setPurchasing;
    let lose = true;
    const connection: Purchasing = {
      ...catalog.connection,
      async setPurchasing(changes) {
        await write(changes);
        if (lose) throw new Error('socket hang up'); // as a worker dying right after the write
      },
    };
    const deps = { lock: keyedLock(database), connection };
    await expect(convergeSelling(deps, store, item.id, stoppedMessage)).rejects.toThrow('socket hang up');
    lose = false;
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('stopped');
    expect(catalog.product.variants[0]!.purchasingDisabled).toBe(true);
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('unchanged');

    await editItem(stockDeps(database.db), store, item.id, { backorderThreshold: 2 });
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('resumed');
    expect(catalog.product.variants[0]!.purchasingDisabled).toBe(false);
  });

  it('when BigCommerce refused the stop, then the recorded hold is applied by the next check', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    const catalog = fakeCatalog({ availability: 'available', isPriceHidden: false, variants: [{ id: 12, purchasingDisabled: false }] });
    let refuse = true;
    const connection: Purchasing = {
      ...catalog.connection,
      async setPurchasing(changes) {
        if (refuse) throw new Error('503 from BigCommerce');
        await catalog.connection.setPurchasing(changes);
      },
    };
    const deps = { lock: keyedLock(database), connection };
    await expect(convergeSelling(deps, store, item.id, stoppedMessage)).rejects.toThrow('503');
    expect(catalog.product.variants[0]!.purchasingDisabled).toBe(false);
    refuse = false;
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('stopped');
    expect(catalog.writes).toEqual([{ variantId: 12, disabled: true }]);
  });

  it('when an item was released with a hold still open (a check raced the release), then the next check lifts it', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    const catalog = fakeCatalog({ availability: 'available', isPriceHidden: false, variants: [{ id: 13, purchasingDisabled: false }] });
    const deps = { lock: keyedLock(database), connection: catalog.connection };
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('stopped');
    await database.db.updateTable('inventory_items').set({ retired_at: new Date() }).where('id', '=', item.id).execute();

    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('resumed');
    expect(catalog.product.variants[0]!.purchasingDisabled).toBe(false);
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('unchanged');
  });

  it('when the store’s message changes while selling is stopped, then each check after it rewrites the app’s variants once, the merchant’s never', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    const { catalog, deps } = withMerchantsVariant(21, 22);
    let message = 'Sold out for now';
    const current = async () => message;
    expect(await convergeSelling(deps, store, item.id, current)).toBe('stopped');
    expect(await convergeSelling(deps, store, item.id, current)).toBe('unchanged');

    message = 'Back in May';
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => convergeSelling(deps, store, item.id, current)));
    expect(outcomes.sort()).toEqual(['reworded', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(catalog.writes).toEqual([
      { variantId: 21, disabled: true },
      { variantId: 21, disabled: true },
    ]);
    expect([...catalog.shown]).toEqual([[21, 'Back in May']]);
    expect(catalog.product.variants).toEqual([
      { id: 21, purchasingDisabled: true },
      { id: 22, purchasingDisabled: true },
    ]);
  });

  it('when a variant is added to a product tracked as a whole while its selling is stopped, then the new variant is stopped too, and resumed with the rest', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 });
    const { catalog, deps } = withMerchantsVariant(31, 32);
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('stopped');

    // The merchant adds two variants in the control panel, one of them disabled: BigCommerce sends store/sku/created.
    catalog.product.variants.push({ id: 33, purchasingDisabled: false }, { id: 34, purchasingDisabled: true });
    const variant = (id: number, disabled: boolean) => ({
      id,
      product_id: item.product_id,
      sku: `V-${id}`,
      option_values: [],
      inventory_level: 0,
      purchasing_disabled: disabled,
    });
    const product = bcProduct({
      id: item.product_id,
      name: 'Lamp',
      inventory_tracking: 'none',
      variants: [variant(31, true), variant(32, true), variant(33, false), variant(34, true)],
    });
    const productEvent = () =>
      onProductEvent(
        database.db,
        store,
        item.product_id,
        async () => product,
        async () => ({ missing: [] }),
      );
    const outcome = await productEvent();
    expect(outcome.changedItems).toEqual([item.id]);
    // The check the change queues stops the new variant, and only it.
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('stopped');
    expect(catalog.writes).toEqual([
      { variantId: 31, disabled: true },
      { variantId: 33, disabled: true },
    ]);
    expect((await productEvent()).changedItems).toEqual([]);

    await editItem(stockDeps(database.db), store, item.id, { backorderThreshold: 5 });
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('resumed');
    expect(catalog.writes.slice(2)).toEqual([
      { variantId: 31, disabled: false },
      { variantId: 33, disabled: false },
    ]);
    expect(catalog.product.variants.find((v) => v.id === 34)?.purchasingDisabled).toBe(true);
  });

  it('when the app stops and resumes a variant, then the catalog mirror follows each write at once (the storefront tells its own holds from the merchant’s by it)', async () => {
    const productId = 4343;
    await database.db
      .insertInto('catalog_products')
      .values({ store_hash: store, product_id: productId, name: 'Apron', is_visible: true, availability: 'available', inventory_tracking: 'none' })
      .execute();
    await database.db
      .insertInto('catalog_variants')
      .values([
        { store_hash: store, product_id: productId, variant_id: 4301, purchasing_disabled: false },
        { store_hash: store, product_id: productId, variant_id: 4302, purchasing_disabled: true },
      ])
      .execute();
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 0 }, { productId });
    const { deps } = withMerchantsVariant(4301, 4302);
    const mirrored = async () =>
      Object.fromEntries(
        (
          await database.db
            .selectFrom('catalog_variants')
            .select(['variant_id', 'purchasing_disabled'])
            .where('product_id', '=', productId)
            .orderBy('variant_id')
            .execute()
        ).map((v) => [v.variant_id, v.purchasing_disabled]),
      );

    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('stopped');
    expect(await mirrored()).toEqual({ 4301: true, 4302: true });
    await editItem(stockDeps(database.db), store, item.id, { backorderThreshold: 5 });
    expect(await convergeSelling(deps, store, item.id, stoppedMessage)).toBe('resumed');
    expect(await mirrored()).toEqual({ 4301: false, 4302: true });
  });

  it('when salable stays above 0, then nothing is written', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 0 });
    const catalog = fakeCatalog({ availability: 'available', isPriceHidden: false, variants: [{ id: 9, purchasingDisabled: false }] });
    expect(await convergeSelling({ lock: keyedLock(database), connection: catalog.connection }, store, item.id, stoppedMessage)).toBe('unchanged');
    expect(catalog.writes).toEqual([]);
  });
});
