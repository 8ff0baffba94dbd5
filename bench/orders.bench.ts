/**
 * A flash sale: many orders for one product at once, converged by the stock engine alone (no HTTP, no queue;
 * what follows a change is left out), 128 in flight as in the webhooks worker, on PostgreSQL with the app's pool.
 * - orders.hot_item.per_s: 2,000 one-unit orders for one item converged as the webhooks worker does
 *   (`orderConvergence`: the orders that arrive while the item's change runs go together in the next).
 * - orders.hot_item.alone_per_s: the same orders, each in a stock change of its own (`convergeOrder`), queueing
 *   for the item's lock: what the worker did before.
 * Each run must end exact (stock −2,000, 2,000 waiting, 1,950 over a threshold of 50), or the module fails.
 */
import { insertAssignment } from '../server/assignments/assignments.repo.ts';
import type { Db } from '../server/db/database.ts';
import type { StockEffects } from '../server/inventory/stock-effects.ts';
import { convergeOrder, orderConvergence, type OrderConvergence } from '../server/orders/orders.service.ts';
import { ORDER_STATUS, type OrderSnapshot } from '../server/orders/order-snapshot.ts';
import { openFreshDatabase } from './helpers.ts';
import { round, type Benchmark } from './lib.ts';

const ORDERS = 2_000;
const IN_FLIGHT = 128;
const THRESHOLD = 50;
const STORE = 'flashsale';

const noEffects: StockEffects = { changed: async () => {}, check: async () => {}, writeLevels: async () => {} };

/** A fresh item of stock 0 for product `productId`, and its orders, one unit each. */
async function hotItem(db: Db, productId: number): Promise<OrderSnapshot[]> {
  await db.transaction().execute((trx) =>
    insertAssignment(trx, {
      storeHash: STORE,
      productId,
      trackedBy: 'product',
      savedInventoryTracking: 'product',
      savedAvailability: 'available',
      items: [{ variantId: null, sku: `HOT-${productId}`, currentStock: 0, backorderThreshold: THRESHOLD, bigcommerceLevel: 0 }],
    }),
  );
  return Array.from({ length: ORDERS }, (_, i) => ({
    id: productId * 10_000 + i,
    statusId: ORDER_STATUS.awaitingFulfillment,
    createdAt: new Date(Date.now() + i),
    modifiedAt: new Date(Date.now() + i),
    readAt: new Date(),
    archived: false,
    lines: [
      { orderProductId: i + 1, productId, variantId: null, sku: `HOT-${productId}`, name: 'Hot item', quantity: 1, quantityRefunded: 0, quantityShipped: 0 },
    ],
  }));
}

/** Orders per second converging `orders` with at most IN_FLIGHT at once; checks the item ends exact. */
async function ordersPerSecond(db: Db, productId: number, converge: (order: OrderSnapshot) => Promise<OrderConvergence>): Promise<number> {
  const orders = await hotItem(db, productId);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < orders.length) await converge(orders[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const item = await db
    .selectFrom('inventory_items as i')
    .select((eb) => [
      'i.current_stock',
      eb
        .selectFrom('backorder_lines as b')
        .whereRef('b.item_id', '=', 'i.id')
        .select((b) => b.fn.sum<string>('b.backordered_qty').as('n'))
        .as('waiting'),
      eb
        .selectFrom('backorder_lines as b')
        .whereRef('b.item_id', '=', 'i.id')
        .select((b) => b.fn.sum<string>('b.over_cap_qty').as('n'))
        .as('over'),
    ])
    .where('i.store_hash', '=', STORE)
    .where('i.product_id', '=', productId)
    .executeTakeFirstOrThrow();
  const exact = { stock: -ORDERS, waiting: ORDERS, over: ORDERS - THRESHOLD };
  const found = { stock: item.current_stock, waiting: Number(item.waiting), over: Number(item.over) };
  if (JSON.stringify(found) !== JSON.stringify(exact)) throw new Error(`the hot item ended at ${JSON.stringify(found)}, not ${JSON.stringify(exact)}`);
  return ORDERS / seconds;
}

const benchmark: Benchmark = {
  name: 'orders',
  timeoutMs: 5 * 60_000,
  async run({ figure, services }) {
    const { database } = await openFreshDatabase((await services()).databaseUrl);
    try {
      await database.db.insertInto('stores').values({ store_hash: STORE, access_token_ciphertext: null }).execute();
      const deps = { db: database.db, effects: noEffects };
      const batched = orderConvergence(deps);
      figure('orders.hot_item.per_s', round(await ordersPerSecond(database.db, 1, (order) => batched(STORE, order)), 0));
      figure('orders.hot_item.alone_per_s', round(await ordersPerSecond(database.db, 2, (order) => convergeOrder(deps, STORE, order)), 0));
    } finally {
      await database.close();
    }
  },
};

export default benchmark;
