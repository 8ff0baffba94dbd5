/**
 * The round trips of an order's first stock change, which a burst of orders pays once per order: each
 * statement waits for PostgreSQL's process, and on a full machine that wait is most of an order's lag.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor } from '../../helpers/inventory.ts';
import { recordedOrderHandlers } from '../../helpers/order-events.ts';

const database = useTestDatabase();
const store = 'trips1';
/** The events a storefront's order sends together: its creation, then its payment's status update and update. */
const STOREFRONT_ORDER_SCOPES = ['store/order/created', 'store/order/updated', 'store/order/statusUpdated'];
beforeAll(async () => {
  await createStore(database.db, store);
});

/** What the order's one line holds, and how many times it was written. */
const heldLine = (orderId: number) =>
  database.db
    .selectFrom('order_lines')
    .select(['held_qty', 'version'])
    .where('store_hash', '=', store)
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();

describe("an order's stock change", () => {
  it('when a new order backorders units, then its lines, their hold and their backorder lines take three statements', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 2 });
    const order = orderFor(item, 3);
    const { deliver, statements, checked } = recordedOrderHandlers(database.db, () => order);
    await deliver(store, 'store/order/created', order.id);
    // Its lines read; in the transaction the item and then the line locked (one statement: the item with whether
    // it carries a hold), then the stock moved with what the line holds and its backorder line grown (one
    // statement). Nothing is read after the commit: the item, left at 0 salable, is checked from what its lock read.
    expect(statements).toHaveLength(3);
    expect(checked).toEqual([item.id]);
    const line = await database.db
      .selectFrom('backorder_lines')
      .select(['from_stock_qty', 'backordered_qty', 'status'])
      .where('store_hash', '=', store)
      .where('order_id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(line).toEqual({ from_stock_qty: 1, backordered_qty: 2, status: 'waiting' });
    expect(await heldLine(order.id)).toEqual({ held_qty: 3, version: 1 });
  });

  it('when a new order backorders units on an item another change moves while it waits for the lock, then it still takes three statements', async () => {
    // A burst on a hot item: nearly every order waits for the item's lock while the one before it moves the
    // item. Whether a newer order's line holds allocated units is told by the move itself, from the order's
    // place on in the open lines' index: no statement over the item's waiting lines follows.
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 50 });
    const older = orderFor(item, 1);
    await recordedOrderHandlers(database.db, () => older).deliver(store, 'store/order/created', older.id);
    const order = orderFor(item, 2);
    const { deliver, statements } = recordedOrderHandlers(database.db, () => order);
    let delivered: Promise<unknown> | undefined;
    await database.db.transaction().execute(async (trx) => {
      await sql`update inventory_items set updated_at = now() where id = ${item.id}`.execute(trx);
      delivered = deliver(store, 'store/order/created', order.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await delivered;
    expect(statements).toHaveLength(3);
    expect(await heldLine(order.id)).toEqual({ held_qty: 2, version: 1 });
  });

  it('when events of one order are given one snapshot (their reads went as one), then it converges once: the statements of one event, one note asked', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 2 });
    const order = orderFor(item, 2);
    const shared = recordedOrderHandlers(database.db, () => order);
    await Promise.all(STOREFRONT_ORDER_SCOPES.map((scope) => shared.deliver(store, scope, order.id)));
    expect(shared.statements).toHaveLength(3);
    expect(shared.notesAsked).toHaveLength(1);
    expect(shared.checked).toEqual([item.id]);

    // Read apart (a snapshot each), a repeat converges its own: its lines read, nothing to move.
    const apart = recordedOrderHandlers(database.db, () => structuredClone(order));
    await Promise.all(STOREFRONT_ORDER_SCOPES.map((scope) => apart.deliver(store, scope, order.id)));
    expect(apart.statements).toHaveLength(3);
    expect(await heldLine(order.id)).toEqual({ held_qty: 2, version: 1 });
  });

  it('when events of a new order are read apart and arrive together, then one changes its stock and the others, run after it, only read its lines', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 2 });
    const order = orderFor(item, 2);
    const { deliver, statements } = recordedOrderHandlers(database.db, () => structuredClone(order));
    await Promise.all(STOREFRONT_ORDER_SCOPES.map((scope) => deliver(store, scope, order.id)));
    // The first: its lines read, then the lock and the move. The others wait for it, then find it converged.
    expect(statements).toHaveLength(5);
    expect(await heldLine(order.id)).toEqual({ held_qty: 2, version: 1 });
  });
});
