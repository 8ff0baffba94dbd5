/**
 * Orders that come while a product is being assigned. Until the assign job turns tracking off, BigCommerce's
 * level counts every order; from then on the app does. An item whose stock was read from that level leaves the
 * orders before to it (the job reads it, and the next read reads it again); an item whose stock the merchant
 * gave is the count as the product was assigned, and every order from then is the app's. Each order is
 * counted once, whenever its events arrive: before the job reads the level, while it turns tracking off,
 * between tracking going off and the product turning active, or after.
 */
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import { describe, expect, it } from 'vitest';
import { ServerError, type BigCommerceGateway, type StoreConnection } from '../../../server/bigcommerce/index.ts';
import { runAssignJob } from '../../../server/assignments/assign.job.ts';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import type { StoreJobDeps } from '../../../server/jobs/jobs.service.ts';
import { createLogger } from '../../../server/logger.ts';
import type { OrderSnapshot } from '../../../server/orders/order-snapshot.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { testConfig } from '../../helpers/config.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, createStore, orderFor, recordingEffects, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const fake = fakeBigCommerce();
const TOKEN = 'tok-assign-orders';
const noProgress = { setTotal: async () => {}, advance: async () => {}, say: async () => {} };
const ONE_ATTEMPT = { attemptsMade: 0, attempts: 1 };
const deps = (gateway: BigCommerceGateway): StoreJobDeps => ({
  db: database.db,
  config: { ...testConfig(), appUrl: 'https://backorder.example.com' },
  gateway,
  logger: createLogger({ level: 'silent' }),
  effects: recordingEffects().effects,
  lock: keyedLock(database),
});
const converge = (storeHash: string, order: OrderSnapshot) => convergeOrder(stockDeps(database.db), storeHash, order);

/** The gateway, with `afterRead` run once the job has read the products, `afterTakeOver` once BigCommerce has turned tracking off. */
function meanwhile(hooks: { afterRead?: () => Promise<void>; afterTakeOver?: () => Promise<void> }): BigCommerceGateway {
  const gateway = fake.gatewayWith(async () => TOKEN);
  return {
    ...gateway,
    async connect(storeHash) {
      const connection = await gateway.connect(storeHash);
      let reads = 0;
      const productsByIds: StoreConnection['productsByIds'] = async (ids) => {
        const products = await connection.productsByIds(ids);
        if (reads++ === 0) await hooks.afterRead?.();
        return products;
      };
      const takeOverTracking: StoreConnection['takeOverTracking'] = async (productIds) => {
        const outcome = await connection.takeOverTracking(productIds);
        await hooks.afterTakeOver?.();
        return outcome;
      };
      return { ...connection, productsByIds, takeOverTracking };
    },
  };
}

/** A lamp BigCommerce tracks at level 10, being assigned with stock 10: read from that level (`given` false), or given by the merchant. */
async function lampBeingAssigned(storeHash: string, productId: number, given: boolean) {
  const product = bcProduct({ id: productId, name: 'Lamp', sku: `SKU-${productId}`, inventory_tracking: 'product', inventory_level: 10 });
  fake.addStore(storeHash, { accessToken: TOKEN, products: [product] });
  await createStore(database.db, storeHash);
  const stock = { currentStock: 10, backorderThreshold: 5, bigcommerceLevel: given ? null : 10 };
  return { product, item: await assignProduct(database.db, storeHash, stock, { productId, state: 'assigning' }) };
}

/** Every order's events again, then the level read as the poll reads it: nothing may move. Returns the item's ledger. */
async function repeatedAndRead(storeHash: string, itemId: number, level: number, orders: OrderSnapshot[]) {
  for (const order of orders) expect((await converge(storeHash, order)).moved).toEqual([]);
  expect((await applyBigCommerceLevels(stockDeps(database.db), storeHash, [{ itemId, level }])).changed).toEqual([]);
  return database.db.selectFrom('stock_movements').select(['delta', 'reason', 'order_id']).where('item_id', '=', itemId).orderBy('id').execute();
}

describe('orders while a product is being assigned', () => {
  it('when its stock was read from BigCommerce’s level and orders are converged before the level read, between tracking off and the product turning active, and after, then each is counted once', async () => {
    const { product, item } = await lampBeingAssigned('asgord1', 801, false);

    // BigCommerce still tracks the lamp: it takes the 3 units of this order from its level itself.
    const before = orderFor(item, 3, { createdAt: new Date() });
    product.inventory_level = 7;
    await converge('asgord1', before);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(10);

    // Tracking is off: BigCommerce moves its level no more. Two orders are placed: one converges before the
    // product turns active, the other only after — a second or more after (BigCommerce dates orders to the second).
    const placed: OrderSnapshot[] = [];
    const afterTakeOver = async () => {
      placed.push(orderFor(item, 2, { createdAt: new Date() }), orderFor(item, 1, { createdAt: new Date() }));
      await converge('asgord1', placed[0]!);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    };
    const run = await runAssignJob(deps(meanwhile({ afterTakeOver })), { storeHash: 'asgord1', jobId: 1 }, noProgress, ONE_ATTEMPT);
    expect(run).toMatch(/^1 product assigned/);
    const [between, late] = placed as [OrderSnapshot, OrderSnapshot];
    await converge('asgord1', late);

    expect(await repeatedAndRead('asgord1', item.id, product.inventory_level, [before, between, late])).toEqual([
      { delta: -3, reason: 'sync', order_id: null },
      { delta: -2, reason: 'order', order_id: between.id },
      { delta: -1, reason: 'order', order_id: late.id },
    ]);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: 4, waiting: 0 });
  });

  it('when the merchant gave its stock and orders are converged before the level read, while tracking is turned off, and after, then each is counted once', async () => {
    const { product, item } = await lampBeingAssigned('asgord2', 802, true);
    const orders = [orderFor(item, 3, { createdAt: new Date() })];
    product.inventory_level = 7; // BigCommerce still tracks the lamp: it takes the units itself.
    await converge('asgord2', orders[0]!);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(7);

    const afterRead = async () => {
      orders.push(orderFor(item, 2, { createdAt: new Date() }));
      product.inventory_level = 5; // read by the job a moment ago as 7
      await converge('asgord2', orders[1]!);
    };
    const afterTakeOver = async () => void orders.push(orderFor(item, 1, { createdAt: new Date() }));
    const run = await runAssignJob(deps(meanwhile({ afterRead, afterTakeOver })), { storeHash: 'asgord2', jobId: 1 }, noProgress, ONE_ATTEMPT);
    expect(run).toMatch(/^1 product assigned/);
    await converge('asgord2', orders[2]!);

    expect(await database.db.selectFrom('inventory_items').select('bigcommerce_level').where('id', '=', item.id).executeTakeFirstOrThrow()).toEqual({
      bigcommerce_level: 5,
    });
    expect(await repeatedAndRead('asgord2', item.id, product.inventory_level, orders)).toEqual(
      orders.map((order) => ({ delta: -order.lines[0]!.quantity, reason: 'order', order_id: order.id })),
    );
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: 4, waiting: 0 });
  });

  it('when the take-over fails without happening and orders are converged before the retry, then the retry leaves them to the level it reads: each is counted once', async () => {
    const { product, item } = await lampBeingAssigned('asgord3', 803, false);
    const gateway = fake.gatewayWith(async () => TOKEN);
    const placed = new Map<number, OrderSnapshot>();
    let takeOvers = 0;
    const failingOnce: BigCommerceGateway = {
      ...gateway,
      async connect(storeHash) {
        const connection = await gateway.connect(storeHash);
        return {
          ...connection,
          order: async (orderId: number) => placed.get(orderId),
          async takeOverTracking(productIds) {
            if (takeOvers++ === 0)
              throw new ServerError({ status: 503, title: 'Service Unavailable', context: { method: 'PUT', path: '/v3/catalog/products' } });
            return connection.takeOverTracking(productIds);
          },
        };
      },
    };
    const twoAttempts = (attemptsMade: number) => ({ attemptsMade, attempts: 2 });

    await expect(runAssignJob(deps(failingOnce), { storeHash: 'asgord3', jobId: 1 }, noProgress, twoAttempts(0))).rejects.toThrow(/503|Unavailable/);
    expect(product.inventory_tracking).toBe('product');
    // The attempt counted the lamp's orders from its start; BigCommerce, still tracking, takes this one's 2 units itself.
    await database.db
      .updateTable('assignments')
      .set({ assigned_at: new Date(Date.now() - 5_000) })
      .where('store_hash', '=', 'asgord3')
      .execute();
    const during = orderFor(item, 2, { createdAt: new Date(Date.now() - 2_000) });
    placed.set(during.id, during);
    product.inventory_level = 8;
    expect((await converge('asgord3', during)).moved).toHaveLength(1);

    expect(await runAssignJob(deps(failingOnce), { storeHash: 'asgord3', jobId: 1 }, noProgress, twoAttempts(1))).toMatch(/^1 product assigned/);

    expect(await repeatedAndRead('asgord3', item.id, product.inventory_level, [during])).toEqual([
      { delta: -2, reason: 'order', order_id: during.id },
      { delta: -2, reason: 'sync', order_id: null },
      { delta: 2, reason: 'order', order_id: during.id },
    ]);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: 8, waiting: 0 });
  });
});
