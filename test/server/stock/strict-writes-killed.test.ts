/**
 * Strict mode keeps BigCommerce's level at stock + threshold through coalesced level writes. A worker killed
 * (SIGKILL) after its write run took the store's waiting items and before it wrote them must not lose them:
 * the run's retry, once BullMQ finds it stalled, writes them, rather than BigCommerce keeping the old level
 * (selling beyond the new cap, or refusing units now allowed) until the next poll.
 */
import { expect, it } from 'vitest';
import { claimLevelWrites } from '../../../server/inventory/level-sync.jobs.ts';
import { editItem } from '../../helpers/inventory.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';
import { appStock, assignThroughJob, levelIn, limitSettings, productNamed, settledItem } from '../../helpers/strict-store.ts';

const installed = useInstalledApp({}, async (installed) => {
  await limitSettings(installed, 'strict', 50);
});

it('when a worker dies after its level-write run took the items and before it wrote them, then the next run writes them', async () => {
  const { app, storeHash } = installed;
  const productId = productNamed(installed, 'Pruning Shears'); // 1 on hand
  const [item] = await assignThroughJob(installed, [productId]);
  await settledItem(installed, item!.id, { stock: 1, level: 51 });

  const levels = app.queues.levels;
  await levels.pause();
  try {
    await editItem(appStock(installed), storeHash, item!.id, { backorderThreshold: 5, currentStock: 3 });
    // What the killed run did before it died: it took the store's waiting writes.
    expect(await claimLevelWrites(app.redis, app.config.queuePrefix, storeHash)).toEqual([item!.id]);
  } finally {
    // Its job runs again (BullMQ's stalled check hands it to another worker).
    await levels.resume();
  }
  await settledItem(installed, item!.id, { stock: 3, level: 8 }, 15_000);
  expect(levelIn(installed, productId)).toBe(8);
}, 60_000);
