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
/** The order with its one line changed so. */
const edited = (order: OrderSnapshot, line: Partial<OrderSnapshot['lines'][number]>, statusId = order.statusId): OrderSnapshot => ({
  ...order,
  statusId,
  lines: [{ ...order.lines[0]!, ...line }],
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

  it('when a partly shipped line is refunded, then the units given back are its unshipped ones — waiting, then allocated — and its shipped units stay allocated', async () => {
    // 1 in stock: the order of 4 takes it and 3 wait; 2 ship before any restock (the stock unit, and 1 still owed).
    const [item] = await assignItems(database.db, store, 984, [{ variantId: 9841, stock: 1, threshold: 10 }]);
    const order = orderFor(item!, 4, { id: 841 });
    await converge(order);
    await converge(shipped(order, 2));
    await converge(edited(shipped(order, 2), { quantityRefunded: 1 }));
    expect(await lineOf(item!.id, 841)).toMatchObject({ status: 'waiting', from_stock_qty: 1, backordered_qty: 2, allocated_qty: 0 });
    expect(await stockOf(database.db, item!.id)).toMatchObject({ currentStock: -2, waiting: 2, shortfall: 0 });

    // A restock of 2 allocates both: 1 of them is the unit already shipped. Another order comes and waits.
    await level(item!.id, 3);
    const newer = orderFor(item!, 1, { id: 842 });
    await converge(newer);
    // A second unit refunded is the allocated one not shipped: the newer order's waiting unit takes it.
    await converge(edited(shipped(order, 2), { quantityRefunded: 2 }));
    expect(await lineOf(item!.id, 841)).toMatchObject({ status: 'allocated', from_stock_qty: 1, backordered_qty: 1, allocated_qty: 1 });
    expect(await lineOf(item!.id, 842)).toMatchObject({ status: 'allocated', allocated_qty: 1 });
    // Read 1 lower: the newer order's unit waits again; the shipped one stays allocated.
    await level(item!.id, 2);
    expect(await lineOf(item!.id, 841)).toMatchObject({ allocated_qty: 1 });
    expect(await lineOf(item!.id, 842)).toMatchObject({ status: 'waiting', allocated_qty: 0 });
    expect(await stockOf(database.db, item!.id)).toMatchObject({ currentStock: -1, waiting: 1, shortfall: 0 });
  });

  it('when a line with units shipped and units waiting is refunded one, then a waiting unit is given back, not a shipped one that an older order would then be allocated', async () => {
    const [item] = await assignItems(database.db, store, 987, [{ variantId: 9871, stock: 0, threshold: 10 }]);
    const newer = orderFor(item!, 4, { id: 872, createdAt: new Date(Date.now() + 2000) });
    await converge(newer);
    await level(item!.id, 2);
    await converge(shipped(newer, 2));
    // An older order's event comes late: the newer line's allocated units have shipped, so it waits.
    const older = orderFor(item!, 1, { id: 871, createdAt: new Date(Date.now() + 1000) });
    await converge(older);

    await converge(edited(shipped(newer, 2), { quantityRefunded: 1 }));
    expect(await lineOf(item!.id, 872)).toMatchObject({ status: 'waiting', backordered_qty: 3, allocated_qty: 2 });
    expect(await lineOf(item!.id, 871)).toMatchObject({ status: 'waiting', allocated_qty: 0 });
    expect(await stockOf(database.db, item!.id)).toMatchObject({ currentStock: -2, waiting: 2, shortfall: 0 });
  });

  it('when a shipped line’s quantity is raised, then its new units are not shipped: restocked they are allocated, and a correction returns them to waiting before any unit counts as short', async () => {
    const { itemId, order } = await allocatedOrder(985, 0, 2, 851, 2);
    const all = edited(order, { quantityShipped: 2 }, ORDER_STATUS.shipped);
    await converge(all);
    expect(await lineOf(itemId, 851)).toMatchObject({ status: 'shipped', allocated_qty: 2 });

    // 2 more ordered in an edit; 2 of the 4 shipped. A newer order waits behind it.
    const raised = edited(all, { quantity: 4 }, ORDER_STATUS.partiallyShipped);
    await converge(raised);
    expect(await lineOf(itemId, 851)).toMatchObject({ status: 'waiting', backordered_qty: 4, allocated_qty: 2, shipped_at: null });
    await converge(orderFor({ product_id: 985, variant_id: 9851, sku: raised.lines[0]!.sku }, 1, { id: 852 }));
    await level(itemId, 5);
    expect(await lineOf(itemId, 851)).toMatchObject({ status: 'allocated', allocated_qty: 4, shipped_at: null });

    // Read 2 lower: the newest unshipped units wait again — the newer order's, then one of the raised line's.
    await level(itemId, 3);
    expect(await lineOf(itemId, 851)).toMatchObject({ status: 'waiting', allocated_qty: 3 });
    expect(await lineOf(itemId, 852)).toMatchObject({ status: 'waiting', allocated_qty: 0 });
    expect(await stockOf(database.db, itemId)).toMatchObject({ currentStock: -2, waiting: 2, shortfall: 0 });

    // Its last units ship: the line is shipped again.
    await converge(edited(raised, { quantityShipped: 4 }, ORDER_STATUS.shipped));
    expect(await lineOf(itemId, 851)).toMatchObject({ status: 'waiting', allocated_qty: 3, shipped_at: expect.any(Date) });
  });

  it('when an order marked shipped by mistake is set back with nothing shipped, then its line is open again: an older order waiting takes its units, and a correction returns them to waiting', async () => {
    const [item] = await assignItems(database.db, store, 986, [{ variantId: 9861, stock: 0, threshold: 10 }]);
    const newer = orderFor(item!, 2, { id: 862, createdAt: new Date(Date.now() + 2000) });
    await converge(newer);
    await level(item!.id, 2);
    await converge(edited(newer, {}, ORDER_STATUS.shipped));
    expect(await lineOf(item!.id, 862)).toMatchObject({ status: 'shipped', allocated_qty: 2 });
    // An older order's event comes late: the units it would be owed first read as shipped, so it waits.
    const older = orderFor(item!, 2, { id: 861, createdAt: new Date(Date.now() + 1000) });
    await converge(older);
    expect(await lineOf(item!.id, 861)).toMatchObject({ status: 'waiting', allocated_qty: 0 });

    await converge(edited(newer, {}, ORDER_STATUS.awaitingFulfillment));
    expect(await lineOf(item!.id, 861)).toMatchObject({ status: 'allocated', allocated_qty: 2 });
    expect(await lineOf(item!.id, 862)).toMatchObject({ status: 'waiting', allocated_qty: 0, shipped_at: null });
    // Restocked and read 1 lower: the newest unshipped unit waits again.
    await level(item!.id, 4);
    await level(item!.id, 3);
    expect(await lineOf(item!.id, 862)).toMatchObject({ status: 'waiting', allocated_qty: 1 });
    expect(await stockOf(database.db, item!.id)).toMatchObject({ currentStock: -1, waiting: 1, shortfall: 0 });
  });

  it('when a line whose allocated unit shipped takes more from stock in an edit, then the unit shipped stays shipped: a correction returns only the unshipped one to waiting', async () => {
    // An order of 2 waits for both; a restock allocates them; 1 ships. 1 more comes into stock, and an edit raises the line to 3.
    const { itemId, order } = await allocatedOrder(988, 0, 2, 881, 2);
    await converge(shipped(order, 1));
    await level(itemId, 3);
    await converge(edited(shipped(order, 1), { quantity: 3 }));
    expect(await lineOf(itemId, 881)).toMatchObject({ from_stock_qty: 1, backordered_qty: 2, allocated_qty: 2 });

    // Read 2 lower: of the line's allocated units only the one not shipped waits again; the other unit is short.
    await level(itemId, 1);
    expect(await lineOf(itemId, 881)).toMatchObject({ status: 'waiting', allocated_qty: 1 });
    expect(await stockOf(database.db, itemId)).toMatchObject({ currentStock: -2, waiting: 1, shortfall: 1 });
    // Its next unit shipped is the one from stock, still in the warehouse: the allocated one left waits on.
    await converge(edited(shipped(order, 2), { quantity: 3 }));
    await level(itemId, 0);
    expect(await lineOf(itemId, 881)).toMatchObject({ status: 'waiting', allocated_qty: 1 });
  });
});
