/**
 * Strict limit mode when the store switches modes while orders keep coming: an order BigCommerce takes
 * while it switches a product's tracking cannot be told, from its date, to have moved the level or not.
 * Whatever lands in that window, stock follows the orders and the level ends at stock + threshold.
 */
import { describe, expect, it } from 'vitest';
import { changeLimitMode } from '../../../server/assignments/limit-mode.service.ts';
import { finishedJob } from '../../helpers/admin.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';
import { assignThroughJob, limitSettings, productNamed, settledItem } from '../../helpers/strict-store.ts';

const THRESHOLD = 500;

const installed = useInstalledApp({}, async (installed) => {
  // A threshold far beyond the orders placed: no order is refused, in either mode, so every one counts.
  await limitSettings(installed, 'strict', THRESHOLD);
});

const store = () => installed.sandbox.store(installed.storeHash);

/** Places one-unit orders of the products in turn, every `everyMs`, until stopped; counts those placed, by product. */
function orderStream(productIds: number[], everyMs: number) {
  const placed = new Map(productIds.map((id) => [id, 0]));
  let turn = 0;
  const timer = setInterval(() => {
    const productId = productIds[turn++ % productIds.length]!;
    store().placeOrder({ lines: [{ productId, quantity: 1 }] });
    placed.set(productId, placed.get(productId)! + 1);
  }, everyMs);
  return {
    placed,
    stop: () => clearInterval(timer),
  };
}

async function switchTo(mode: 'flexible' | 'strict'): Promise<void> {
  const deps = { db: installed.app.database.db, storeJobs: installed.app.queues.storeJobs };
  expect(await changeLimitMode(deps, installed.storeHash, mode)).toBe('changed');
  expect((await finishedJob(installed.app.database.db, installed.storeHash, 'limit-mode', 60_000)).status).toBe('succeeded');
}

describe('switching the limit mode during a stream of orders', () => {
  it('when the store switches to flexible and back to strict twice while orders keep coming, then stock is what the orders left and BigCommerce’s level is stock + threshold', async () => {
    const productIds = [productNamed(installed, 'Laundry Detergent'), productNamed(installed, 'Dustpan & Brush')]; // 100 and 40 on hand
    const items = await assignThroughJob(installed, productIds);
    const itemOf = (productId: number) => items.find((item) => item.product_id === productId)!;
    const onHand = new Map(productIds.map((id) => [id, itemOf(id).current_stock]));
    for (const id of productIds) await settledItem(installed, itemOf(id).id, { stock: onHand.get(id)!, level: onHand.get(id)! + THRESHOLD });

    const stream = orderStream(productIds, 20);
    try {
      await switchTo('flexible');
      await switchTo('strict');
      await switchTo('flexible');
      await switchTo('strict');
    } finally {
      stream.stop();
    }
    for (const id of productIds) {
      const stock = onHand.get(id)! - stream.placed.get(id)!;
      expect(stream.placed.get(id)).toBeGreaterThan(10);
      await settledItem(installed, itemOf(id).id, { stock, level: stock + THRESHOLD }, 180_000);
    }
  }, 480_000);
});
