/**
 * Every way a product leaves BackOrder other than the merchant's unassign — release all, tracking turned
 * back on by someone else, the product deleted, a failed assign undone — leaves BigCommerce and the
 * database in step: the variants the app disabled when selling stopped are purchasable again (only those),
 * release all and a running assign job do not undo each other, and a product is never called unassigned
 * while BigCommerce no longer tracks it.
 */
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import { describe, expect, it } from 'vitest';
import { ServerError, ValidationError, type BigCommerceGateway, type StoreConnection } from '../../../server/bigcommerce/index.ts';
import { onProductEvent, TRACKING_TURNED_ON, DELETED_IN_BIGCOMMERCE } from '../../../server/assignments/catalog-events.service.ts';
import { runAssignJob } from '../../../server/assignments/assign.job.ts';
import { insertAssignment } from '../../../server/assignments/assignments.repo.ts';
import { RELEASE_ALL_REASON, runReleaseAll } from '../../../server/assignments/release.service.ts';
import type { StoreJobDeps } from '../../../server/jobs/jobs.service.ts';
import { createLogger } from '../../../server/logger.ts';
import { testConfig } from '../../helpers/config.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, createStore, orderFor, recordingEffects, stockDeps } from '../../helpers/inventory.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';

const database = useTestDatabase();
const fake = fakeBigCommerce();
const TOKEN = 'tok-release';
const gateway = fake.gatewayWith(async () => TOKEN);
const quiet = createLogger({ level: 'silent' });
const noProgress = { setTotal: async () => {}, advance: async () => {}, say: async () => {} };
const deps = (through = gateway): StoreJobDeps => ({
  db: database.db,
  config: { ...testConfig(), appUrl: 'https://backorder.example.com' },
  gateway: through,
  logger: quiet,
  effects: recordingEffects().effects,
  lock: keyedLock(database),
});
const ONE_ATTEMPT = { attemptsMade: 0, attempts: 1 };

/** The gateway with some of a connection's calls replaced, each given the real connection. */
function replacing(calls: (connection: StoreConnection) => Partial<StoreConnection>): BigCommerceGateway {
  return {
    ...gateway,
    async connect(storeHash) {
      const connection = await gateway.connect(storeHash);
      return { ...connection, ...calls(connection) };
    },
  };
}

/** The gateway with one call held at a gate: `reached` resolves when it is called, `open()` lets it go on. */
function gated(call: 'takeOverTracking' | 'restoreTracking') {
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const through = replacing((connection) => ({
    [call]: async (...args: unknown[]) => {
      reached();
      await gate;
      return (connection[call] as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  }));
  return { gateway: through, arrived, open };
}

/** A product waiting in `assigning` (BigCommerce still tracks it). */
async function assigning(storeHash: string, productId: number, settingsSaved: boolean) {
  fake.addStore(storeHash, {
    accessToken: TOKEN,
    products: [bcProduct({ id: productId, name: `P${productId}`, inventory_tracking: 'product', inventory_level: 3 })],
  });
  await createStore(database.db, storeHash);
  await database.db.transaction().execute((trx) =>
    insertAssignment(trx, {
      storeHash,
      productId,
      trackedBy: 'product',
      savedInventoryTracking: 'product',
      savedAvailability: 'available',
      state: 'assigning',
      settingsSaved,
      items: [{ variantId: null, sku: `SKU-${productId}`, currentStock: 3, backorderThreshold: 0, bigcommerceLevel: 3 }],
    }),
  );
}
const tracking = (storeHash: string, productId: number) => fake.stores.get(storeHash)!.products.find((p) => p.id === productId)!.inventory_tracking;

/** A store in BigCommerce and in the database, with these products (untracked: BackOrder holds them). */
async function storeWith(storeHash: string, productIds: number[]) {
  fake.addStore(storeHash, {
    accessToken: TOKEN,
    products: productIds.map((id) => bcProduct({ id, name: `P${id}`, inventory_tracking: 'none', inventory_level: 0 })),
  });
  await createStore(database.db, storeHash);
  const items = [];
  for (const productId of productIds) items.push(await assignProduct(database.db, storeHash, { currentStock: 0, backorderThreshold: 0 }, { productId }));
  return items;
}

const variantOf = (storeHash: string, productId: number) => fake.stores.get(storeHash)!.products.find((p) => p.id === productId)!.variants![0]!;

/** Selling stopped: the variant is disabled, by the app (`byApp`) or already by the merchant. */
async function hold(storeHash: string, item: { id: number; product_id: number }, byApp: boolean) {
  const variant = variantOf(storeHash, item.product_id);
  variant.purchasing_disabled = true;
  await database.db
    .insertInto('purchasing_holds')
    .values({ store_hash: storeHash, item_id: item.id, product_id: item.product_id, variant_id: variant.id, disabled_by_app: byApp })
    .execute();
}

const openHolds = (storeHash: string) =>
  database.db.selectFrom('purchasing_holds').select('product_id').where('store_hash', '=', storeHash).where('lifted_at', 'is', null).execute();
const assignment = (storeHash: string, productId: number) =>
  database.db.selectFrom('assignments').selectAll().where('store_hash', '=', storeHash).where('product_id', '=', productId).executeTakeFirstOrThrow();

describe('release all', () => {
  it('when products are released while selling is stopped, then the variants the app disabled are purchasable again, the merchant’s stay disabled, and no hold stays open', async () => {
    const [ours, merchants] = await storeWith('rel1', [701, 702]);
    await hold('rel1', ours!, true);
    await hold('rel1', merchants!, false);

    const message = await runReleaseAll(deps(), { storeHash: 'rel1', jobId: 1 }, noProgress);

    expect(message).toMatch(/^2 products released/);
    expect(variantOf('rel1', 701).purchasing_disabled).toBe(false);
    expect(variantOf('rel1', 702).purchasing_disabled).toBe(true);
    expect(await openHolds('rel1')).toEqual([]);
    expect((await assignment('rel1', 701)).release_reason).toBe(RELEASE_ALL_REASON);
    expect(fake.calls.handBack.filter((c) => c.storeHash === 'rel1').map((c) => c.products)).toEqual([[{ productId: 701, enableVariants: [70100] }]]);
  });
  it('when an order arrives while release all hands back an earlier product, then the later product’s level counts it', async () => {
    const [first, second] = await storeWith('rel7', [711, 712]);
    await database.db.updateTable('inventory_items').set({ current_stock: 5 }).where('id', 'in', [first!.id, second!.id]).execute();
    const orderDuringRun = replacing((connection) => ({
      async restoreTracking(restore) {
        if (restore.productId === 711) await convergeOrder(stockDeps(database.db), 'rel7', orderFor(second!, 3));
        return connection.restoreTracking(restore);
      },
    }));

    expect(await runReleaseAll(deps(orderDuringRun), { storeHash: 'rel7', jobId: 1 }, noProgress)).toMatch(/^2 products released/);

    const levels = fake.calls.restoreTracking.filter((c) => c.storeHash === 'rel7').map((c) => [c.productId, c.levels]);
    expect(levels).toEqual([
      [711, [{ variantId: null, level: 5 }]],
      [712, [{ variantId: null, level: 2 }]],
    ]);
  });
});

describe('releases by the app', () => {
  it('when someone else turns tracking back on, then the product is released and the variant the app disabled is purchasable again', async () => {
    const [item] = await storeWith('rel2', [703]);
    await hold('rel2', item!, true);
    fake.stores.get('rel2')!.products[0]!.inventory_tracking = 'product';
    const connection = await gateway.connect('rel2');

    const outcome = await onProductEvent(database.db, 'rel2', 703, async () => structuredClone(fake.stores.get('rel2')!.products[0]), connection.handBack);

    expect(outcome.released).toBe(true);
    expect((await assignment('rel2', 703)).release_reason).toBe(TRACKING_TURNED_ON);
    expect(variantOf('rel2', 703).purchasing_disabled).toBe(false);
    expect(await openHolds('rel2')).toEqual([]);
  });

  it('when the product is deleted, then its holds are closed without asking BigCommerce', async () => {
    const [item] = await storeWith('rel3', [704]);
    await hold('rel3', item!, true);
    const refused = async () => {
      throw new Error('nothing to hand back for a deleted product');
    };

    const outcome = await onProductEvent(database.db, 'rel3', 704, async () => undefined, refused);

    expect(outcome.released).toBe(true);
    expect((await assignment('rel3', 704)).release_reason).toBe(DELETED_IN_BIGCOMMERCE);
    expect(await openHolds('rel3')).toEqual([]);
  });
});

describe('release all beside a running assign job', () => {
  it('when release all runs while the assign job is turning tracking off, then the product ends released and tracked by BigCommerce', async () => {
    await assigning('rel4', 705, false);
    const held = gated('takeOverTracking');
    const assign = runAssignJob(deps(held.gateway), { storeHash: 'rel4', jobId: 1 }, noProgress, ONE_ATTEMPT);
    await held.arrived;

    expect(await runReleaseAll(deps(), { storeHash: 'rel4', jobId: 2 }, noProgress)).toMatch(/^1 product released/);
    held.open();
    expect(await assign).toMatch(/^0 products assigned/);

    expect(tracking('rel4', 705)).toBe('product');
    expect(await assignment('rel4', 705)).toMatchObject({ release_reason: RELEASE_ALL_REASON });
  });

  it('when the assign job makes the product active while release all hands it back, then release all releases it as an active one', async () => {
    await assigning('rel5', 706, true);
    const held = gated('restoreTracking');
    const release = runReleaseAll(deps(held.gateway), { storeHash: 'rel5', jobId: 1 }, noProgress);
    await held.arrived;
    expect(await runAssignJob(deps(), { storeHash: 'rel5', jobId: 2 }, noProgress, ONE_ATTEMPT)).toMatch(/^1 product assigned/);
    expect(tracking('rel5', 706)).toBe('none');

    held.open();
    expect(await release).toMatch(/^1 product released/);

    expect(tracking('rel5', 706)).toBe('product');
    expect(await assignment('rel5', 706)).toMatchObject({ state: 'active', release_reason: RELEASE_ALL_REASON });
    expect(fake.calls.restoreTracking.filter((c) => c.storeHash === 'rel5').at(-1)).toMatchObject({ mode: 'product', levels: [{ variantId: null, level: 3 }] });
  });
});

describe('a failed assign undone', () => {
  it('when BigCommerce turned tracking off, then failed for good and refuses to take tracking back, then the product stays “assigning” with the error and the next run assigns it', async () => {
    await assigning('rel6', 707, false);
    fake.stores.get('rel6')!.products.push(bcProduct({ id: 708, name: 'P708', inventory_tracking: 'none' }));
    await database.db.transaction().execute((trx) =>
      insertAssignment(trx, {
        storeHash: 'rel6',
        productId: 708,
        trackedBy: 'product',
        savedInventoryTracking: 'none',
        savedAvailability: 'available',
        state: 'assigning',
        settingsSaved: false,
        items: [{ variantId: null, sku: 'SKU-708', currentStock: 0, backorderThreshold: 0, bigcommerceLevel: 0 }],
      }),
    );
    // The take-over is applied, but its answer is an error that will not pass; BigCommerce then refuses writes.
    const failing = replacing((connection) => ({
      async takeOverTracking(productIds) {
        await connection.takeOverTracking(productIds);
        fake.failWritesOf(707, new ServerError({ status: 503, title: 'Service Unavailable', context: { method: 'PUT', path: '/v3/catalog/products' } }));
        throw new ValidationError({ status: 422, title: 'The request could not be confirmed', context: { method: 'PUT', path: '/v3/catalog/products' } });
      },
    }));

    await expect(runAssignJob(deps(failing), { storeHash: 'rel6', jobId: 1 }, noProgress, ONE_ATTEMPT)).rejects.toThrow(
      /1 product was left unassigned, as before\. 1 stays “assigning”/,
    );

    expect(tracking('rel6', 707)).toBe('none');
    expect(await assignment('rel6', 707)).toMatchObject({
      state: 'assigning',
      released_at: null,
      bigcommerce_error: expect.stringMatching(/could not be handed back/),
    });
    expect((await assignment('rel6', 708)).release_reason).toMatch(/did not let BackOrder take the product over/);

    fake.failWritesOf(707, undefined);
    expect(await runAssignJob(deps(), { storeHash: 'rel6', jobId: 2 }, noProgress, ONE_ATTEMPT)).toMatch(/^1 product assigned/);
    expect(await assignment('rel6', 707)).toMatchObject({ state: 'active', released_at: null, bigcommerce_error: null });
  });
});
