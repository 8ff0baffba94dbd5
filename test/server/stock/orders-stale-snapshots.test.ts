/**
 * Snapshots of one order converged out of order: several worker processes (and reconcile) read and converge an
 * order apart, so a read begun before a change can reach its stock change after a read of the change did. The
 * older snapshot must move nothing: stock, ledger and backorder lines stay as the newer one left them.
 */
import { Writable } from 'node:stream';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import type { BigCommerceGateway, OrderSnapshot, StoreConnection } from '../../../server/bigcommerce/index.ts';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { sharedReads } from '../../../server/bigcommerce/shared-reads.ts';
import { storeConnection } from '../../../server/bigcommerce/store-connection.ts';
import type { InventoryItem } from '../../../server/db/schema.ts';
import { createLogger } from '../../../server/logger.ts';
import { staleOrderSnapshots } from '../../../server/metrics/metrics.ts';
import { orderEventHandlers } from '../../../server/orders/order-events.handler.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { convergeOrder, convergeOrders } from '../../../server/orders/orders.service.ts';
import { reconcileStore } from '../../../server/reconcile/reconcile.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor, stockDeps, stockOf } from '../../helpers/inventory.ts';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

const database = useTestDatabase();
const store = 'stale1';
const deps = () => stockDeps(database.db);
beforeAll(async () => {
  await createStore(database.db, store);
});

/** A version: BigCommerce's `date_modified` `second`s after a fixed minute, read `readMs` after it. */
const MINUTE = Date.parse('2026-03-02T10:00:00Z');
const version = (second: number, readMs: number) => ({ modifiedAt: new Date(MINUTE + second * 1000), readAt: new Date(MINUTE + readMs) });

/** What an item's orders left: its stock and waiting units, its ledger, its backorder lines, its order lines. */
async function endState(item: InventoryItem) {
  const { currentStock, waiting, overCap, lines } = await stockOf(database.db, item.id);
  const ledger = await database.db.selectFrom('stock_movements').select(['delta', 'idempotency_key']).where('item_id', '=', item.id).orderBy('id').execute();
  const orderLines = await database.db
    .selectFrom('order_lines')
    .select(['order_id', 'held_qty', 'order_status_id', 'version', 'snapshot_modified_at', 'snapshot_read_at'])
    .where('item_id', '=', item.id)
    .orderBy('order_id')
    .execute();
  const backorders = lines.map(({ order_id, backordered_qty, allocated_qty, over_cap_qty, status }) => ({
    order_id,
    backordered_qty,
    allocated_qty,
    over_cap_qty,
    status,
  }));
  return { currentStock, waiting, overCap, ledger, backorders, orderLines };
}

/** An Incomplete order (it holds nothing) of `quantity` units, read at `read`, and the same order once paid, read at `paid`. */
function paidLater(item: InventoryItem, quantity: number, read: ReturnType<typeof version>, paid: ReturnType<typeof version>) {
  const incomplete = orderFor(item, quantity, { statusId: ORDER_STATUS.incomplete, ...read });
  return { incomplete, awaiting: { ...incomplete, statusId: ORDER_STATUS.awaitingFulfillment, ...paid } };
}

describe('a snapshot older than the one converged', () => {
  it('when an order read while Incomplete is converged after its paid snapshot, then it moves nothing: stock, ledger and backorder lines stay as the paid one left them', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 });
    const { incomplete, awaiting } = paidLater(item, 3, version(0, 100), version(2, 2_100));
    expect((await convergeOrder(deps(), store, awaiting)).moved.map((m) => m.taken)).toEqual([3]);
    const paid = await endState(item);
    expect(paid).toMatchObject({ currentStock: -2, waiting: 2 });
    expect(paid.orderLines).toEqual([expect.objectContaining({ held_qty: 3, snapshot_modified_at: awaiting.modifiedAt, snapshot_read_at: awaiting.readAt })]);

    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }) });
    const skippedBefore = (await staleOrderSnapshots.get()).values.find((v) => v.labels['store'] === store)?.value ?? 0;
    const late = await convergeOrder({ ...deps(), logger }, store, incomplete);

    expect(late.moved).toEqual([]);
    expect(late.items).toEqual([{ itemId: item.id, salable: 8 }]);
    expect(await endState(item)).toEqual(paid);
    // Said, with the store and the order, and counted.
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ storeHash: store, orderId: incomplete.id, msg: 'order snapshot older than the one converged: skipped' }),
    ]);
    expect((await staleOrderSnapshots.get()).values.find((v) => v.labels['store'] === store)?.value).toBe(skippedBefore + 1);
  });

  it('when it was modified in the same second and its read began earlier, then it moves nothing', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 });
    // `date_modified` has seconds only: both read 10:00:00, the paid one's read began 300 ms after the other's.
    const { incomplete, awaiting } = paidLater(item, 3, version(0, 200), version(0, 500));
    await convergeOrder(deps(), store, awaiting);
    const paid = await endState(item);

    expect((await convergeOrder(deps(), store, incomplete)).moved).toEqual([]);
    expect(await endState(item)).toEqual(paid);
  });
});

describe('a snapshot as new as the one converged, or newer', () => {
  it('when it was modified in the same second and its read began later, or at the same instant, then it converges', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 });
    const awaiting = orderFor(item, 3, version(0, 200));
    await convergeOrder(deps(), store, awaiting);

    const cancelled = { ...awaiting, statusId: ORDER_STATUS.cancelled, ...version(0, 500) };
    expect((await convergeOrder(deps(), store, cancelled)).moved.map((m) => m.taken)).toEqual([-3]);
    expect(await endState(item)).toMatchObject({ currentStock: 1, waiting: 0, backorders: [expect.objectContaining({ status: 'cancelled' })] });

    // Read by the same request as the cancellation (a shared read's sharers, or a repeat): the same version.
    const reinstated = { ...cancelled, statusId: ORDER_STATUS.awaitingFulfillment };
    expect((await convergeOrder(deps(), store, reinstated)).moved.map((m) => m.taken)).toEqual([3]);
    const state = await endState(item);
    expect(state).toMatchObject({ currentStock: -2, waiting: 2 });
    expect(state.orderLines).toEqual([
      expect.objectContaining({ held_qty: 3, snapshot_modified_at: reinstated.modifiedAt, snapshot_read_at: reinstated.readAt }),
    ]);
  });

  it('when its lines were written before versions were recorded, then any snapshot converges, and records its version', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 });
    const { incomplete, awaiting } = paidLater(item, 3, version(0, 100), version(2, 2_100));
    await convergeOrder(deps(), store, awaiting);
    await database.db.updateTable('order_lines').set({ snapshot_modified_at: null, snapshot_read_at: null }).where('order_id', '=', awaiting.id).execute();

    expect((await convergeOrder(deps(), store, incomplete)).moved.map((m) => m.taken)).toEqual([-3]);
    const state = await endState(item);
    expect(state).toMatchObject({ currentStock: 1, waiting: 0 });
    expect(state.orderLines).toEqual([
      expect.objectContaining({ held_qty: 0, snapshot_modified_at: incomplete.modifiedAt, snapshot_read_at: incomplete.readAt }),
    ]);
  });
});

describe('orders converged together', () => {
  it('when one order of a batch is older than its converged snapshot, then it alone is skipped and the others move', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 });
    const first = paidLater(item, 3, version(0, 100), version(2, 2_100));
    const second = orderFor(item, 2, version(1, 1_100));
    await convergeOrder(deps(), store, first.awaiting);
    await convergeOrder(deps(), store, second);
    expect(await endState(item)).toMatchObject({ currentStock: -4, waiting: 4 });

    const third = orderFor(item, 1, version(3, 3_100));
    const outcomes = await convergeOrders(deps(), store, [first.incomplete, { ...second, statusId: ORDER_STATUS.cancelled, ...version(4, 4_100) }, third]);

    expect(outcomes.map((o) => o.moved.map((m) => m.taken))).toEqual([[], [-2], [1]]);
    const state = await endState(item);
    expect(state).toMatchObject({ currentStock: -3, waiting: 3 });
    expect(state.orderLines.map((l) => [l.order_id, l.held_qty])).toEqual([
      [first.awaiting.id, 3],
      [second.id, 0],
      [third.id, 1],
    ]);
    expect(state.backorders.map((l) => [l.order_id, l.backordered_qty, l.status])).toEqual([
      [first.awaiting.id, 2, 'waiting'],
      [second.id, 2, 'cancelled'],
      [third.id, 1, 'waiting'],
    ]);
  });
});

/**
 * The race itself, against the sandbox store through the real client: two worker processes (each its own
 * handlers, connection and shared reads), or reconcile and a worker, read one order on either side of its
 * payment; the read from before it is converged last.
 */
describe('two readers of one order, apart', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ storeHash: store });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  /** A process's connection to the sandbox store, with its own shared reads. */
  function connection(): StoreConnection {
    const client = createBigCommerceClient({
      storeHash: store,
      accessToken: sandbox.token,
      apiUrl: sandbox.sandbox.url,
      rateLimitState: new MemoryRateLimitState(),
    });
    return storeConnection(client, async () => undefined, sharedReads());
  }

  /**
   * A connection whose read of the order, once answered (`answered`), gives its snapshot only when `resume` is
   * called: a process slowed after reading (a pause, a busy pool).
   */
  function slowConnection(orderId: number) {
    const real = connection();
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const order = async (id: number): Promise<OrderSnapshot | undefined> => {
      const snapshot = await real.order(id);
      if (id !== orderId) return snapshot;
      answer();
      await resumed;
      return snapshot;
    };
    return { connection: { ...real, order }, answered, resume };
  }

  /** A worker process's order handlers over `connection`; the returned function hands them the order's update event. */
  function workerProcess(connectionOf: StoreConnection) {
    const handlers = orderEventHandlers({
      db: database.db,
      gateway: { connect: async () => connectionOf } as unknown as Pick<BigCommerceGateway, 'connect'>,
      effects: deps().effects,
      queues: { orderNotes: { add: async () => undefined } as unknown as Queue },
    });
    const scope = 'store/order/updated';
    return (orderId: number) =>
      handlers[scope]!({ eventId: 0, storeHash: store, envelope: { ...webhookEnvelope(store, scope, {}), data: { type: 'order', id: orderId } } });
  }

  /** An assigned item (stock 1) of a simple product of the sandbox's demo catalog, and an order of 3 of it placed Incomplete. */
  async function incompleteOrder(productId: number) {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 }, { productId });
    const order = sandbox.sandbox.store(store).placeOrder({ lines: [{ productId, quantity: 3 }], statusId: ORDER_STATUS.incomplete, allowOutOfStock: true });
    return { item, orderId: Number(order.id) };
  }

  /** The order's payment, a few milliseconds after the slow read was answered (BigCommerce's clock and the app's move on). */
  async function paid(orderId: number) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    sandbox.sandbox.store(store).setOrderStatus(orderId, ORDER_STATUS.awaitingFulfillment);
  }

  it('when one process read the order before it was paid and converges after another converged it paid, then the units stay held', async () => {
    const { item, orderId } = await incompleteOrder(116);
    const slow = slowConnection(orderId);
    const late = workerProcess(slow.connection)(orderId);
    await slow.answered;

    await paid(orderId);
    await workerProcess(connection())(orderId);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: -2, waiting: 2 });

    slow.resume();
    await late;
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: -2, waiting: 2 });
  });

  it('when reconcile read the order before it was paid and converges after a worker converged it paid, then the units stay held', async () => {
    const { item, orderId } = await incompleteOrder(117);
    const slow = slowConnection(orderId);
    const reconcile = reconcileStore(deps(), slow.connection, { ordersSince: new Date(Date.now() - 60_000) });
    await slow.answered;

    await paid(orderId);
    await workerProcess(connection())(orderId);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: -2, waiting: 2 });

    slow.resume();
    const { orders } = await reconcile;
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: -2, waiting: 2 });
    expect(orders.changed).toBe(0);
  });
});
