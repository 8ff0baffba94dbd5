/**
 * Orders the merchant edits after they were placed: a line removed (or set to 0, which drops it), a line whose
 * product or variant changed. What it held comes back, its new item gives it, and everything — stock, waiting
 * and allocated units, ETAs, over-the-cap flags, the ledger, selling — ends as if the order had been placed so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { markStrict } from '../../../server/inventory/strict-levels.repo.ts';
import { ORDER_STATUS, type OrderSnapshot } from '../../../server/orders/order-snapshot.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { overLimitSummary } from '../../../server/reports/report.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, editItem, orderFor, recordingEffects, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'edits1';
const deps = () => stockDeps(database.db);
beforeAll(async () => {
  await createStore(database.db, store);
});

const ledger = (itemId: number) =>
  database.db.selectFrom('stock_movements').select(['delta', 'idempotency_key']).where('item_id', '=', itemId).orderBy('id').execute();
const sum = (rows: Array<{ delta: number }>) => rows.reduce((total, row) => total + row.delta, 0);
const without = (order: OrderSnapshot): OrderSnapshot => ({ ...order, lines: [] });
const lineOf = (stock: Awaited<ReturnType<typeof stockOf>>, orderId: number) => stock.lines.find((l) => l.order_id === orderId);

describe('a line removed from an order', () => {
  it('when the merchant removes a line, then its units come back, its backorder line is cancelled, the next order gets its ETA and nothing stays over the cap', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 4 }, { assignedAt: new Date(Date.now() - 86_400_000) });
    await editItem(deps(), store, item.id, { incomingStock: 3, backInStockDate: '2099-03-01' });
    const first = orderFor(item, 5, { createdAt: new Date(Date.now() - 60_000) });
    const second = orderFor(item, 2);
    await convergeOrder(deps(), store, first);
    await convergeOrder(deps(), store, second);
    let stock = await stockOf(database.db, item.id);
    expect(stock).toMatchObject({ currentStock: -7, waiting: 7, overCap: 3 });
    expect(lineOf(stock, second.id)).toMatchObject({ eta: null, over_cap_qty: 2 });

    const removed = await convergeOrder(deps(), store, without(first));
    expect(removed.moved.map((m) => [m.itemId, m.taken])).toEqual([[item.id, -5]]);
    stock = await stockOf(database.db, item.id);
    // As if the first order had never been placed: -2, both waiting, covered by the incoming 3.
    expect(stock).toMatchObject({ currentStock: -2, waiting: 2, allocated: 0, shortfall: 0 });
    expect(lineOf(stock, first.id)).toMatchObject({ status: 'cancelled', eta: null });
    expect(lineOf(stock, second.id)).toMatchObject({ status: 'waiting', eta: '2099-03-01' });
    // The second order's 2 were beyond the cap when they were sold (a fact kept, as for a cancellation); the first's are not sold at all.
    expect(await overLimitSummary(database.db, store)).toMatchObject({ units: 2, orders: 1 });
    const rows = await ledger(item.id);
    expect(sum(rows)).toBe(-2);
    expect(rows.at(-1)).toEqual({ delta: 5, idempotency_key: `order:${first.id}:${first.lines[0]!.orderProductId}:v2:left${item.id}` });
  });

  it('when the last unit of an item is given back by a removed line, then selling is checked again', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 3 });
    const order = orderFor(item, 3);
    await convergeOrder(deps(), store, order);
    const { effects, checked } = recordingEffects();
    const removed = await convergeOrder(stockDeps(database.db, effects), store, without(order));
    expect(removed.items).toEqual([{ itemId: item.id, salable: 3 }]);
    expect(checked).toEqual([item.id]);
  });

  it('when one of two lines is removed, then only its item moves, and the same edit delivered again moves nothing', async () => {
    const [kept, dropped] = await Promise.all([
      assignProduct(database.db, store, { currentStock: 5, backorderThreshold: 0 }),
      assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 5 }),
    ]);
    const base = orderFor(kept!, 2);
    const second = { ...base.lines[0]!, orderProductId: base.lines[0]!.orderProductId + 1, productId: dropped!.product_id, sku: dropped!.sku, quantity: 3 };
    await convergeOrder(deps(), store, { ...base, lines: [...base.lines, second] });
    const edited = { ...base, lines: base.lines };
    expect((await convergeOrder(deps(), store, edited)).moved.map((m) => [m.itemId, m.taken])).toEqual([[dropped!.id, -3]]);
    for (let i = 0; i < 3; i++) expect((await convergeOrder(deps(), store, edited)).moved).toEqual([]);

    expect(await stockOf(database.db, kept!.id)).toMatchObject({ currentStock: 3 });
    expect(await stockOf(database.db, dropped!.id)).toMatchObject({ currentStock: 1, waiting: 0 });
    expect(sum(await ledger(dropped!.id))).toBe(0);
    const recorded = await database.db
      .selectFrom('order_lines')
      .select(['held_qty', 'ordered_qty'])
      .where('order_id', '=', base.id)
      .orderBy('order_product_id')
      .execute();
    expect(recorded).toEqual([
      { held_qty: 2, ordered_qty: 2 },
      { held_qty: 0, ordered_qty: 0 },
    ]);
  });

  it('when an older snapshot that still has the line arrives after the removal, then it takes the units again, and the newer one gives them back: every step in the ledger, the end exact', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 10 });
    const order = orderFor(item, 4);
    for (const snapshot of [order, without(order), order, without(order), without(order)]) await convergeOrder(deps(), store, snapshot);

    const stock = await stockOf(database.db, item.id);
    expect(stock).toMatchObject({ currentStock: 1, waiting: 0, allocated: 0, shortfall: 0 });
    expect(stock.lines).toHaveLength(1);
    expect(stock.lines[0]).toMatchObject({ status: 'cancelled' });
    const rows = await ledger(item.id);
    expect(rows.map((r) => r.delta)).toEqual([-4, 4, -4, 4]);
    expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(4);
  });
});

describe('a line whose product or variant changed', () => {
  it('when a line moves to another assigned product, then the first gets its units back and the second takes them, each with its own backorder numbers', async () => {
    const before = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const after = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 1 });
    const order = orderFor(before, 3);
    await convergeOrder(deps(), store, order);
    const moved = { ...order, lines: [{ ...order.lines[0]!, productId: after.product_id, sku: after.sku, name: 'Other' }] };
    const outcome = await convergeOrder(deps(), store, moved);
    expect(outcome.moved.map((m) => [m.itemId, m.taken])).toEqual([
      [before.id, -3],
      [after.id, 3],
    ]);
    expect(outcome.items.map((i) => i.itemId)).toEqual([before.id, after.id]);

    expect(await stockOf(database.db, before.id)).toMatchObject({ currentStock: 0, waiting: 0, lines: [] });
    const taken = await stockOf(database.db, after.id);
    // As if ordered so: 1 from stock, 2 backordered, 1 of them beyond the cap of 1.
    expect(taken).toMatchObject({ currentStock: -2, waiting: 2, overCap: 1 });
    expect(taken.lines).toEqual([
      expect.objectContaining({
        product_id: after.product_id,
        sku: after.sku,
        product_name: 'Other',
        from_stock_qty: 1,
        backordered_qty: 2,
        status: 'waiting',
      }),
    ]);
    expect(sum(await ledger(before.id))).toBe(0);
    expect(sum(await ledger(after.id))).toBe(-3);
    expect(await database.db.selectFrom('order_lines').select(['item_id', 'product_id', 'held_qty']).where('order_id', '=', order.id).execute()).toEqual([
      { item_id: after.id, product_id: after.product_id, held_qty: 3 },
    ]);
    // Delivered again, the edit finds the line where it is.
    expect((await convergeOrder(deps(), store, moved)).moved).toEqual([]);
  });

  it('when a line moves to a product BackOrder does not hold, then its units come back; moved back, it takes them again', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 2, backorderThreshold: 10 });
    const order = orderFor(item, 5);
    await convergeOrder(deps(), store, order);
    const elsewhere = { ...order, lines: [{ ...order.lines[0]!, productId: 999_997, sku: 'NOT-HELD' }] };
    expect((await convergeOrder(deps(), store, elsewhere)).moved.map((m) => m.taken)).toEqual([-5]);
    expect((await convergeOrder(deps(), store, elsewhere)).moved).toEqual([]);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: 2, waiting: 0 });

    expect((await convergeOrder(deps(), store, order)).moved.map((m) => m.taken)).toEqual([5]);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: -3, waiting: 3 });
    expect(sum(await ledger(item.id))).toBe(-5);
  });
});

describe('strict limit mode: BigCommerce gives the units of an edit back to its level itself', () => {
  it('when a line is lowered, then removed, then the level the app expects follows BigCommerce’s, nothing is written, and reading the level changes nothing', async () => {
    const written: number[] = [];
    const strictDeps = {
      db: database.db,
      effects: { ...recordingEffects().effects, writeLevels: async (_store: string, ids: number[]) => void written.push(...ids) },
    };
    const item = await assignProduct(
      database.db,
      store,
      { currentStock: 0, backorderThreshold: 10, bigcommerceLevel: 10 },
      { assignedAt: new Date(Date.now() - 120_000) },
    );
    await markStrict(database.db, store, [item.id], true, new Date(Date.now() - 60_000));
    const order = orderFor(item, 3);
    await convergeOrder(strictDeps, store, order); // BigCommerce took 3 itself: level 10 → 7
    await convergeOrder(strictDeps, store, { ...order, lines: [{ ...order.lines[0]!, quantity: 1 }] }); // 7 → 9
    await convergeOrder(strictDeps, store, without(order)); // 9 → 10

    const row = await database.db
      .selectFrom('inventory_items')
      .select(['current_stock', 'bigcommerce_level'])
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ current_stock: 0, bigcommerce_level: 10 });
    expect(written).toEqual([]);
    await database.db
      .updateTable('inventory_items')
      .set({ last_order_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', item.id)
      .execute();
    expect(await applyBigCommerceLevels(strictDeps, store, [{ itemId: item.id, level: 10 }])).toEqual({ changed: [], deferred: [] });
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: 0, waiting: 0, allocated: 0 });
  });
});

describe('a line’s quantity lowered', () => {
  it('when the merchant lowers a backordered line’s quantity, then its backorder line says what is ordered now', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 5 });
    const order = orderFor(item, 2);
    await convergeOrder(deps(), store, order);
    const withQuantity = (quantity: number): OrderSnapshot => ({ ...order, lines: [{ ...order.lines[0]!, quantity }] });
    await convergeOrder(deps(), store, withQuantity(6));
    expect(lineOf(await stockOf(database.db, item.id), order.id)).toMatchObject({ ordered_qty: 6, backordered_qty: 3 });

    await convergeOrder(deps(), store, withQuantity(4));
    const stock = await stockOf(database.db, item.id);
    expect(stock.currentStock).toBe(-1);
    expect(lineOf(stock, order.id)).toMatchObject({ ordered_qty: 4, backordered_qty: 1, status: 'waiting' });
  });
});

describe('a line edited without units moving', () => {
  const reportRow = async (orderId: number) =>
    database.db
      .selectFrom('backorder_lines')
      .select(['variant_id', 'sku', 'ordered_qty', 'backordered_qty', 'status'])
      .where('order_id', '=', orderId)
      .execute();

  it('when a backordered line of a product tracked as a whole changes variant, then nothing moves and its backorder line names the new variant and SKU', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const order = orderFor(item, 3);
    const red = { ...order, lines: [{ ...order.lines[0]!, variantId: 71, sku: 'TEE-RED' }] };
    await convergeOrder(deps(), store, red);
    const blue = { ...order, lines: [{ ...order.lines[0]!, variantId: 72, sku: 'TEE-BLUE' }] };
    expect((await convergeOrder(deps(), store, blue)).moved).toEqual([]);

    expect(await reportRow(order.id)).toEqual([{ variant_id: 72, sku: 'TEE-BLUE', ordered_qty: 3, backordered_qty: 3, status: 'waiting' }]);
    expect(await database.db.selectFrom('order_lines').select(['variant_id', 'sku']).where('order_id', '=', order.id).execute()).toEqual([
      { variant_id: 72, sku: 'TEE-BLUE' },
    ]);
    expect((await stockOf(database.db, item.id)).currentStock).toBe(-3);
    // Delivered again, the edit finds the line as it is.
    expect((await convergeOrder(deps(), store, blue)).moved).toEqual([]);
  });

  it('when a line’s quantity is raised by as many units as are refunded, then nothing moves and its backorder line says what is ordered now', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const order = orderFor(item, 4);
    await convergeOrder(deps(), store, order);
    const edited = { ...order, lines: [{ ...order.lines[0]!, quantity: 5, quantityRefunded: 1 }] };
    expect((await convergeOrder(deps(), store, edited)).moved).toEqual([]);
    expect(await reportRow(order.id)).toEqual([{ variant_id: null, sku: item.sku, ordered_qty: 5, backordered_qty: 4, status: 'waiting' }]);
  });
});

describe('an order placed before its product was assigned, edited after', () => {
  it('when its quantity is raised and lowered, a unit refunded, a line added, the order cancelled, reinstated, shipped and archived, then it never takes or gives back a unit, and none of its units is backordered', async () => {
    const day = 86_400_000;
    const item = await assignProduct(database.db, store, { currentStock: 2, backorderThreshold: 1 }, { assignedAt: new Date(Date.now() - day) });
    const early = orderFor(item, 3, { createdAt: new Date(Date.now() - 2 * day) });
    // A newer order waits for 2: a unit the early order gave back would serve it.
    const newer = orderFor(item, 4);
    await convergeOrder(deps(), store, newer);
    const line = early.lines[0]!;
    const steps: Array<[string, OrderSnapshot]> = [
      ['placed', early],
      ['raised', { ...early, lines: [{ ...line, quantity: 6 }] }],
      ['lowered', { ...early, lines: [{ ...line, quantity: 1 }] }],
      ['refunded', { ...early, statusId: ORDER_STATUS.partiallyRefunded, lines: [{ ...line, quantity: 2, quantityRefunded: 1 }] }],
      [
        'line added',
        {
          ...early,
          lines: [
            { ...line, quantity: 2 },
            { ...line, orderProductId: line.orderProductId + 1, quantity: 4 },
          ],
        },
      ],
      ['cancelled', { ...early, statusId: ORDER_STATUS.cancelled, lines: [{ ...line, quantity: 2 }] }],
      ['reinstated', { ...early, lines: [{ ...line, quantity: 5 }] }],
      ['shipped', { ...early, statusId: ORDER_STATUS.shipped, lines: [{ ...line, quantity: 5, quantityShipped: 5 }] }],
      ['archived', { ...early, archived: true, lines: [{ ...line, quantity: 5, quantityShipped: 2 }] }],
    ];
    for (const [step, snapshot] of steps) {
      expect((await convergeOrder(deps(), store, snapshot)).moved, step).toEqual([]);
      const stock = await stockOf(database.db, item.id);
      expect(stock, step).toMatchObject({ currentStock: -2, waiting: 2, allocated: 0, shortfall: 0 });
      expect(
        stock.lines.map((l) => l.order_id),
        step,
      ).toEqual([newer.id]);
      expect(sum(await ledger(item.id)), step).toBe(-4);
      const lines = await database.db.selectFrom('order_lines').select(['held_qty', 'predates_assignment']).where('order_id', '=', early.id).execute();
      expect(
        lines.every((l) => l.held_qty === 0 && l.predates_assignment),
        step,
      ).toBe(true);
    }
  });

  it('when its line moves to another product, then it takes units only on one assigned after it was placed, and moved back gives them back there and takes nothing', async () => {
    const day = 86_400_000;
    const item = await assignProduct(database.db, store, { currentStock: 2, backorderThreshold: 1 }, { assignedAt: new Date(Date.now() - day) });
    const alsoAfter = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 5 }, { assignedAt: new Date(Date.now() - day) });
    const before = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 5 }, { assignedAt: new Date(Date.now() - 3 * day) });
    const early = orderFor(item, 3, { createdAt: new Date(Date.now() - 2 * day) });
    const onto = (other: typeof item): OrderSnapshot => ({ ...early, lines: [{ ...early.lines[0]!, productId: other.product_id, sku: other.sku }] });
    await convergeOrder(deps(), store, early);

    expect((await convergeOrder(deps(), store, onto(alsoAfter))).moved).toEqual([]);
    expect(await stockOf(database.db, alsoAfter.id)).toMatchObject({ currentStock: 1, lines: [] });

    // Assigned before the order was placed: BigCommerce's level never counted it there, so the app takes it, as if ordered so.
    await convergeOrder(deps(), store, onto(before));
    expect(await stockOf(database.db, before.id)).toMatchObject({ currentStock: -2, waiting: 2 });

    await convergeOrder(deps(), store, early);
    expect(await stockOf(database.db, before.id)).toMatchObject({ currentStock: 1, waiting: 0 });
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: 2, lines: [] });
    expect(await stockOf(database.db, alsoAfter.id)).toMatchObject({ currentStock: 1, lines: [] });
    expect(sum(await ledger(item.id)) + sum(await ledger(alsoAfter.id))).toBe(0);
  });
});
