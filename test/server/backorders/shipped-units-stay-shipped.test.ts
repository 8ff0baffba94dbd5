/**
 * Units shipped have left with the shopper: once a backorder line's allocated units ship, no correction and no
 * reallocation by order date returns them to waiting (else the next restock would hold units for a shopper who
 * already has them). The units a line took from stock ship first.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS, type OrderSnapshot } from '../../../server/orders/order-snapshot.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignItems, createStore, orderFor, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'shipped1';
beforeAll(async () => {
  await createStore(database.db, store);
});

const converge = (order: OrderSnapshot) => convergeOrder(stockDeps(database.db), store, order);
const level = (itemId: number, units: number) => applyBigCommerceLevels(stockDeps(database.db), store, [{ itemId, level: units }]);
/** The order with its one line shipped `units` in all, partly shipped. */
const shipped = (order: OrderSnapshot, units: number): OrderSnapshot => ({
  ...order,
  statusId: ORDER_STATUS.partiallyShipped,
  lines: [{ ...order.lines[0]!, quantityShipped: units }],
});
const lineOf = async (itemId: number, orderId: number) => (await stockOf(database.db, itemId)).lines.find((l) => l.order_id === orderId)!;
/** An item with `stock` units, an order `id` of `quantity` taking them and waiting for the rest, then a restock to the level `restocked` allocating it. */
async function allocatedOrder(product: number, stock: number, quantity: number, id: number, restocked: number) {
  const [item] = await assignItems(database.db, store, product, [{ variantId: product * 10 + 1, stock, threshold: 10 }]);
  const order = orderFor(item!, quantity, { id });
  await converge(order);
  await level(item!.id, restocked);
  return { itemId: item!.id, order };
}

describe('units shipped stay shipped', () => {
  it('when 3 of 4 allocated units ship and BigCommerce’s level is then read 3 lower, then only the 1 unshipped unit waits again', async () => {
    const { itemId, order } = await allocatedOrder(980, 0, 4, 801, 4);
    expect(await lineOf(itemId, 801)).toMatchObject({ status: 'allocated', allocated_qty: 4 });

    await converge(shipped(order, 3));
    await level(itemId, 1);
    expect(await lineOf(itemId, 801)).toMatchObject({ status: 'waiting', backordered_qty: 4, allocated_qty: 3 });
    // The other 2 units the level lost are owed by no order: they are the item's unexplained shortfall.
    expect(await stockOf(database.db, itemId)).toMatchObject({ currentStock: -3, waiting: 1, shortfall: 2 });
  });

  it('when a line ships in two parts without its order’s status changing, then the second part counts too', async () => {
    const { itemId, order } = await allocatedOrder(981, 0, 4, 811, 4);
    await converge(shipped(order, 1));
    await converge(shipped(order, 3));
    await level(itemId, 0);
    expect(await lineOf(itemId, 811)).toMatchObject({ status: 'waiting', allocated_qty: 3 });
  });

  it('when a line took units from stock, then those ship first, and only units shipped beyond them stay allocated', async () => {
    // 2 in stock: the order of 5 takes them and 3 wait; a restock allocates the 3; 3 ship (2 from stock, 1 allocated).
    const { itemId, order } = await allocatedOrder(982, 2, 5, 821, 5);
    await converge(shipped(order, 3));
    await level(itemId, 2);
    expect(await lineOf(itemId, 821)).toMatchObject({ status: 'waiting', from_stock_qty: 2, backordered_qty: 3, allocated_qty: 1 });
  });

  it('when an older order’s event comes late while a newer line has shipped allocated units, then it takes only the unshipped ones', async () => {
    const [item] = await assignItems(database.db, store, 983, [{ variantId: 9831, stock: 0, threshold: 10 }]);
    const older = orderFor(item!, 3, { id: 831, createdAt: new Date(Date.now() + 1000) });
    const newer = orderFor(item!, 3, { id: 832, createdAt: new Date(Date.now() + 2000) });
    await converge(newer);
    await level(item!.id, 3);
    await converge(shipped(newer, 2));

    await converge(older);
    expect(await lineOf(item!.id, 832)).toMatchObject({ status: 'waiting', allocated_qty: 2 });
    expect(await lineOf(item!.id, 831)).toMatchObject({ status: 'waiting', allocated_qty: 1 });
  });
});
