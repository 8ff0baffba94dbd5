/**
 * Strict limit mode when others move BigCommerce's level too: an ERP's absolute write lands before, between
 * or after the events of a burst of orders. Whatever the interleaving, stock and level end exact.
 */
import { describe, expect, it } from 'vitest';
import { requestLevelSync } from '../../../server/inventory/level-sync.jobs.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';
import {
  assignThroughJob,
  limitSettings,
  nativeBackordersIn,
  productNamed,
  settledItem,
  withNativeBackorders,
  withWebhooksHeld,
} from '../../helpers/strict-store.ts';

const installed = useInstalledApp({}, async (installed) => {
  await limitSettings(installed, 'strict', 50);
});

const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;
const orders = (productId: number, count: number) => {
  for (let i = 0; i < count; i++) store().placeOrder({ lines: [{ productId, quantity: 1 }] });
};
/** The ERP: an absolute level written in BigCommerce (a control-panel or API write, events and all). */
const erpWrites = (productId: number, level: number) => store().setInventoryLevel({ productId, level });

/**
 * Asks for a level read while the app's order events are held (recorded, not applied): the read must not be
 * applied meanwhile — it would take the orders BigCommerce counted for someone else's change.
 */
async function readWhileOrdersHeld(productId: number, itemId: number, expectedBefore: number): Promise<void> {
  const { app, storeHash } = installed;
  await expect
    .poll(
      async () =>
        Number(
          (
            await db()
              .selectFrom('webhook_events')
              .select(db().fn.countAll().as('n'))
              .where('store_hash', '=', storeHash)
              .where('status', '=', 'received')
              .executeTakeFirstOrThrow()
          ).n,
        ),
      { timeout: 10_000 },
    )
    .toBeGreaterThan(0);
  const asked = Date.now();
  await requestLevelSync(app.redis, app.queues.levels, app.config.queuePrefix, storeHash, [productId]);
  // The read has run: no levels job is left waiting or running, and one finished since it was asked for.
  const levels = app.queues.levels;
  await expect
    .poll(
      async () => {
        const live = await levels.getJobCountByTypes('waiting', 'active', 'prioritized');
        const finished = (await levels.getCompleted(0, 20)).some((job) => job.name === 'sync' && (job.finishedOn ?? 0) >= asked);
        return live === 0 && finished;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  const row = await db().selectFrom('inventory_items').select('bigcommerce_level').where('id', '=', itemId).executeTakeFirstOrThrow();
  expect(row.bigcommerce_level).toBe(expectedBefore);
}

describe('an ERP writes the level in the middle of a burst of orders', () => {
  // Stock 0, threshold 50: level 50. Five orders take 5; the ERP counts 100 on the shelf-plus-limit and
  // writes it. Counter rule: the write moved the level from 45 to 100, +55, so stock ends 0 - 5 + 55 = 50
  // and the level 50 + 50 = 100, whichever the order of events.
  it('when the write comes before the orders, then stock is 50 and the level 100', async () => {
    const productId = productNamed(installed, 'Espresso Cups (Set of 2)');
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 0, level: 50 });
    erpWrites(productId, 105);
    orders(productId, 5);
    await settledItem(installed, item!.id, { stock: 50, level: 100 });
  }, 90_000);

  it('when the write comes between the orders and their events, then its level is read only once the app has applied them: stock is 50 and the level 100', async () => {
    const productId = productNamed(installed, 'Cedar Shoe Rack'); // 4 on hand
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 4, level: 54 });
    await withWebhooksHeld(installed, async () => {
      orders(productId, 5); // level 49; the app has not seen them
      erpWrites(productId, 100); // +51
      await readWhileOrdersHeld(productId, item!.id, 54);
    });
    // 4 - 5 + 51 = 50; the level 50 + 50 = 100.
    await settledItem(installed, item!.id, { stock: 50, level: 100 });
  }, 90_000);

  it('when the write comes after the orders were applied, then stock is 50 and the level 100', async () => {
    const productId = productNamed(installed, 'Recipe Notebook'); // 8 on hand
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 8, level: 58 });
    orders(productId, 5);
    await settledItem(installed, item!.id, { stock: 3, level: 53 });
    erpWrites(productId, 100); // +47
    await settledItem(installed, item!.id, { stock: 50, level: 100 });
  }, 90_000);

  it('when the write lowers the level between the orders and their events, then stock and level are exact and every unit below 0 is accounted for', async () => {
    const productId = productNamed(installed, 'Bath Brush'); // 15 on hand
    const [item] = await assignThroughJob(installed, [productId]);
    await settledItem(installed, item!.id, { stock: 15, level: 65 });
    await withWebhooksHeld(installed, async () => {
      orders(productId, 20); // level 45
      erpWrites(productId, 40); // -5
      await readWhileOrdersHeld(productId, item!.id, 65);
    });
    // 15 - 20 - 5 = -10; the level -10 + 50 = 40.
    const after = await settledItem(installed, item!.id, { stock: -10, level: 40 });
    expect(after.waiting + after.shortfall).toBe(10);
    expect(after.overCap).toBe(0);
  }, 90_000);
});

describe('an ERP writes the level in the middle of a burst of orders, on BigCommerce’s native backorders', () => {
  // The level is what is on hand, qty backordered the units owed, the limit the threshold (50). The ERP's
  // absolute write is what it counts on the shelf; by the counter rule it moves stock by what it moved.
  it('when the write comes before the orders, then stock, on hand and qty backordered end exact', async () => {
    await withNativeBackorders(installed, async () => {
      const productId = productNamed(installed, 'Cotton Bath Towel'); // 2 on hand
      const [item] = await assignThroughJob(installed, [productId]);
      await settledItem(installed, item!.id, { stock: 2, level: 2 });
      erpWrites(productId, 10); // +8
      orders(productId, 5); // taken from on hand: none backordered
      // 2 + 8 - 5 = 5 on hand, nothing owed.
      await settledItem(installed, item!.id, { stock: 5, level: 5 });
      expect(nativeBackordersIn(installed, productId)).toEqual({ limit: 50, backordered: 0 });
    });
  }, 90_000);

  it('when the write comes between backordered orders and their events, then its level is read once the orders are applied and the units owed are served from it', async () => {
    await withNativeBackorders(installed, async () => {
      const productId = productNamed(installed, 'Garden Trowel'); // 0 on hand
      const [item] = await assignThroughJob(installed, [productId]);
      await settledItem(installed, item!.id, { stock: 0, level: 0 });
      await expect.poll(() => nativeBackordersIn(installed, productId)).toEqual({ limit: 50, backordered: 0 });
      await withWebhooksHeld(installed, async () => {
        orders(productId, 5); // all five backordered: qty backordered 5
        erpWrites(productId, 100); // +100 on hand
        await readWhileOrdersHeld(productId, item!.id, 0);
      });
      // 0 - 5 + 100 = 95: the five owed are served from the hundred, 95 stay on hand.
      const after = await settledItem(installed, item!.id, { stock: 95, level: 95 });
      expect(nativeBackordersIn(installed, productId)).toEqual({ limit: 50, backordered: 0 });
      expect(after).toMatchObject({ waiting: 0, overCap: 0 });
    });
  }, 90_000);
});
