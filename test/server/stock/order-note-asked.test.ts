/**
 * When an order event asks for the BackOrder note: an order that moved backordered units asks; a repeat
 * delivery (BigCommerce's several events for one order, and its echo of the note itself) asks only while
 * the note is owed: units backordered, the note not recorded as written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../../../server/orders/order-snapshot.ts';
import { markNoted } from '../../../server/orders/order-notes.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor } from '../../helpers/inventory.ts';
import { recordedOrderHandlers } from '../../helpers/order-events.ts';

const database = useTestDatabase();
const store = 'asked1';
beforeAll(async () => {
  await createStore(database.db, store);
});

/** The order handler over one order in BigCommerce, recording the note jobs it adds, the selling checks it asks for and the statements it runs. */
function handlerFor(order: OrderSnapshot) {
  const { deliver, notesAsked, checked, statements } = recordedOrderHandlers(database.db, (id) => (id === order.id ? order : undefined));
  return { deliver: () => deliver(store, 'store/order/updated', order.id), asked: notesAsked, checked, statements };
}

describe('asking for the order note', () => {
  it('when an order backorders units and is delivered again before its note is written, then each delivery asks', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const { deliver, asked } = handlerFor(orderFor(item, 2));
    await deliver();
    await deliver();
    expect(asked).toHaveLength(2);
  });

  it('when the note is recorded as written, then a repeat delivery does not ask again', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const order = orderFor(item, 2);
    const { deliver, asked } = handlerFor(order);
    await deliver();
    await markNoted(database.db, store, order.id);
    await deliver();
    await deliver();
    expect(asked).toEqual([{ storeHash: store, orderId: order.id }]);
  });

  it('when an order took only stock units, then neither it nor its repeat deliveries ask for a note', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 5, backorderThreshold: 10 });
    const { deliver, asked } = handlerFor(orderFor(item, 2));
    await deliver();
    await deliver();
    await deliver();
    expect(asked).toEqual([]);
  });

  it('when a converged order whose note is written is delivered again, then one statement reads all the delivery needs', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const order = orderFor(item, 2);
    const { deliver, asked, checked, statements } = handlerFor(order);
    await deliver();
    await markNoted(database.db, store, order.id);
    checked.length = 0;
    statements.length = 0;
    await deliver();
    // Its lines, their items' selling and its note: an echo of the note costs the database one read.
    expect(statements).toHaveLength(1);
    expect(asked).toHaveLength(1);
    // Still 8 salable and no hold: selling is in step, so nothing is checked.
    expect(checked).toEqual([]);
  });
});
