/**
 * Strict limit mode against the sandbox store when the merchant edits an order: BigCommerce's order edit
 * gives the units it takes off a line back to its level itself (`edit_order_stock_adjustment`), and the app
 * gives them back to stock once — the level it expects follows BigCommerce's, nothing is written twice.
 */
import { describe, expect, it } from 'vitest';
import { levelReadsOutstanding, requestLevelSync } from '../../../server/inventory/level-sync.jobs.ts';
import { stockOf } from '../../helpers/inventory.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';
import { assignThroughJob, limitSettings, productNamed, settledItem } from '../../helpers/strict-store.ts';

const installed = useInstalledApp({}, async (installed) => {
  await limitSettings(installed, 'strict', 50);
});

const store = () => installed.sandbox.store(installed.storeHash);
/** BigCommerce dates events to the second, and an event's key carries its date: an edit comes a second after what it edits. */
const aSecondLater = () => new Promise((resolve) => setTimeout(resolve, 1_100));

describe('an order edited in BigCommerce, in strict limit mode', () => {
  it('when a backordered line is lowered, then removed, then stock and level get the units back once, the backorder line ends cancelled, and a level read changes nothing', async () => {
    const productId = productNamed(installed, 'Garden Trowel'); // tracked by product, 0 on hand
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 0, level: 50 });
    const { id: orderId } = store().placeOrder({ lines: [{ productId, quantity: 3 }] }) as { id: number };
    const lineId = store().context.state.orders.find((o) => o.id === orderId)!.lines[0]!.id;
    expect(await settledItem(installed, item!.id, { stock: -3, level: 47 })).toMatchObject({ waiting: 3 });

    await aSecondLater();
    store().editOrderQuantities(orderId, [{ orderProductId: lineId, quantity: 1 }]);
    expect(await settledItem(installed, item!.id, { stock: -1, level: 49 })).toMatchObject({ waiting: 1, allocated: 0 });

    await aSecondLater();
    store().editOrderQuantities(orderId, [{ orderProductId: lineId, quantity: 0 }]);
    const after = await settledItem(installed, item!.id, { stock: 0, level: 50 });
    expect(after).toMatchObject({ waiting: 0, allocated: 0, shortfall: 0 });
    expect(after.lines).toEqual([expect.objectContaining({ order_id: orderId, status: 'cancelled' })]);

    const { app, storeHash } = installed;
    // A read within seconds of the item's last order waits for its settling (ORDER_SETTLE_MS): aged, it is applied.
    await app.database.db
      .updateTable('inventory_items')
      .set({ last_order_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', item!.id)
      .execute();
    await requestLevelSync(app.redis, app.queues.levels, app.config.queuePrefix, storeHash, [productId]);
    await expect.poll(() => levelReadsOutstanding(app.redis, app.config.queuePrefix, storeHash), { timeout: 10_000 }).toBe(0);
    expect(await stockOf(app.database.db, item!.id)).toMatchObject({ currentStock: 0, waiting: 0, allocated: 0 });
    const ledger = await app.database.db.selectFrom('stock_movements').select(['delta', 'reason']).where('item_id', '=', item!.id).orderBy('id').execute();
    expect(ledger).toEqual([
      { delta: -3, reason: 'order' },
      { delta: 2, reason: 'order' },
      { delta: 1, reason: 'order' },
    ]);
  }, 90_000);
});
