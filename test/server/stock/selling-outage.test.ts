/**
 * A selling check asked for while BigCommerce is down waits the outage out (selling.jobs.ts, SELLING_RETRIES),
 * as a webhook event does, and one given up all the same is asked again by the selling sweep
 * (selling-owed.repo.ts): given up after about 2 minutes, it left the item selling beyond its limit (or stopped
 * when it should sell) until the nightly reconcile, since the selling sweep only looks at recent changes. The
 * check's waits are cut short here (each retry promoted as soon as it is put back), so its tries are counted,
 * not its minutes; outage-retries.test.ts proves how long they span.
 */
import type { Job } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueSellingChecks, SELLING_RETRIES, type SellingJob } from '../../../server/selling/selling.jobs.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
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

/** Product `productId` assigned with 5 to sell, then 0 while BigCommerce answers 500: its check asked for then. */
async function stoppedDuringOutage(productId: number): Promise<number> {
  const [item] = await assignInSandbox(installed, productId, { threshold: 5, stock: 0 });
  const { queues } = installed.app;
  const busy = async () => (await Promise.all([queues.webhooks, queues.levels, queues.selling].map((q) => q.count()))).some((n) => n > 0);
  await settled(busy, false);
  await reconcileIdle(installed);
  store().setSwitches({ apiFault: '500', apiFaultUntil: 0 });
  await editItem(stockDeps(db(), installedEffects(installed)), installed.storeHash, item!.id, { backorderThreshold: 0 });
  return item!.id;
}

/** Waits until the item's check has been tried `tries` times, or was given up. */
async function triedOrGivenUp(itemId: number, tries: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const check = await checkOf(itemId);
        return check !== undefined && (check.state === 'failed' || check.tries >= tries);
      },
      { timeout: 150_000, interval: 200 },
    )
    .toBe(true);
}

/** The item's check tried `tries` times during the outage, and not given up: waiting for its next try. */
async function checkTriedDuringOutage(productId: number, tries: number): Promise<number> {
  const itemId = await stoppedDuringOutage(productId);
  await triedOrGivenUp(itemId, tries);
  // Not given up: waiting for its next try (the one under way, if any, fails too).
  await expect.poll(async () => (await checkOf(itemId, false))?.state, { timeout: 30_000 }).toBe('delayed');
  expect(store().purchasability(productId).purchasable).toBe(true);
  return itemId;
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

  it('when BigCommerce stays away longer than all of a check’s tries, then the first selling sweep after it is back stops selling', async () => {
    const itemId = await stoppedDuringOutage(102);
    await triedOrGivenUp(itemId, SELLING_RETRIES.attempts + 1);
    expect((await checkOf(itemId, false))?.state).toBe('failed');
    store().setSwitches({ apiFault: 'none', apiFaultUntil: 0 });
    // BigCommerce's events of the spell go through, and the item sells on: nothing else asks for its check.
    const { webhooks } = installed.app.queues;
    await settled(async () => {
      for (const job of await webhooks.getDelayed()) await job.promote().catch(() => undefined);
      return webhooks.count();
    }, 0);
    expect(store().purchasability(102).purchasable).toBe(true);

    // The sweep on time, long after the change (it looks back 4 minutes): as the scheduler runs it.
    const late = new Date(Date.now() + 3 * 3600_000);
    await runHousekeeping({ db: db(), queues: installed.app.queues }, { name: 'sweep-selling', timestamp: late.getTime() - 120_000 }, late);
    await settled(async () => store().purchasability(102).purchasable, false, 30_000);
  }, 250_000);
});
