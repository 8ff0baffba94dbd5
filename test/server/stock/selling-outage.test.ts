/**
 * A selling check asked for while BigCommerce is down waits the outage out (selling.jobs.ts, SELLING_RETRIES),
 * as a webhook event does: given up after about 2 minutes, it left the item selling beyond its limit (or
 * stopped when it should sell) until the nightly reconcile, since the selling sweep only looks at recent
 * changes. The check's waits are cut short here (each retry promoted as soon as it is put back), so its tries
 * are counted, not its minutes; selling-retries.test.ts proves how long they span.
 */
import type { Job } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueSellingChecks, type SellingJob } from '../../../server/selling/selling.jobs.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { installedEffects, reconcileIdle, settled } from '../../helpers/installed-stock.ts';
import { editItem, stockDeps } from '../../helpers/inventory.ts';

const installed = useInstalledApp({ config: { logLevel: 'warn' } });

const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;

/** The item's selling check; its retry waiting in the delayed set is promoted to run now, unless `promote` is false. */
async function checkOf(itemId: number, promote = true): Promise<{ tries: number; state: string } | undefined> {
  const queue = installed.app.queues.selling;
  if (promote) for (const job of await queue.getDelayed()) await job.promote().catch(() => undefined);
  const jobs: Job<SellingJob>[] = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'failed']);
  const job = jobs.find((j) => j.data.itemId === itemId);
  if (!job) return undefined;
  return { tries: job.attemptsMade, state: await job.getState() };
}

/** Product `productId` assigned with 5 to sell, its selling check asked for while BigCommerce answers 500, tried `tries` times. */
async function checkTriedDuringOutage(productId: number, tries: number): Promise<number> {
  const [item] = await assignInSandbox(installed, productId, { threshold: 5, stock: 0 });
  const { queues } = installed.app;
  const busy = async () => (await Promise.all([queues.webhooks, queues.levels, queues.selling].map((q) => q.count()))).some((n) => n > 0);
  await settled(busy, false);
  await reconcileIdle(installed);
  store().setSwitches({ apiFault: '500', apiFaultUntil: 0 });
  await editItem(stockDeps(db(), installedEffects(installed)), installed.storeHash, item!.id, { backorderThreshold: 0 });
  await expect
    .poll(
      async () => {
        const check = await checkOf(item!.id);
        return check !== undefined && (check.state === 'failed' || check.tries >= tries);
      },
      { timeout: 120_000, interval: 200 },
    )
    .toBe(true);
  // Not given up: waiting for its next try (the one under way, if any, fails too).
  await expect.poll(async () => (await checkOf(item!.id, false))?.state, { timeout: 30_000 }).toBe('delayed');
  expect(store().purchasability(productId).purchasable).toBe(true);
  return item!.id;
}

describe('a selling check during a BigCommerce outage', () => {
  // The selling sweep makes up for a check given up within minutes of its change; what is tested here is the
  // check itself, as after an outage longer than the sweep looks back.
  beforeEach(async () => {
    await installed.app.queues.housekeeping.pause();
  });
  afterEach(async () => {
    store().setSwitches({ apiFault: 'none', apiFaultUntil: 0 });
    await installed.app.queues.housekeeping.resume();
  });

  it('when BigCommerce answers 500 for longer than a check took to give up, then selling stops once it is back', async () => {
    // Ten tries: more than the eight every other job gets, which gave up here.
    const itemId = await checkTriedDuringOutage(110, 10);
    store().setSwitches({ apiFault: 'none', apiFaultUntil: 0 });
    await settled(async () => (await checkOf(itemId), store().purchasability(110).purchasable), false, 30_000);
  }, 200_000);

  it('when BigCommerce is back while the check waits minutes for its next try, then the next change has it run at once', async () => {
    // Nine tries: the next comes after 2 minutes or more.
    const itemId = await checkTriedDuringOutage(111, 9);
    store().setSwitches({ apiFault: 'none', apiFaultUntil: 0 });
    await queueSellingChecks(installed.app.queues.selling, installed.storeHash, [itemId]);
    await settled(async () => store().purchasability(111).purchasable, false, 15_000);
  }, 200_000);
});
