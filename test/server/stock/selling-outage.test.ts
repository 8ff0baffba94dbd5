/**
 * A selling check asked for while BigCommerce is down waits the outage out (selling.jobs.ts, SELLING_RETRIES),
 * as a webhook event does: given up after about 2 minutes, it left the item selling beyond its limit (or
 * stopped when it should sell) until the nightly reconcile, since the selling sweep only looks at recent
 * changes. The check's waits are cut short here (each retry promoted as soon as it is put back), so its tries
 * are counted, not its minutes; selling-retries.test.ts proves how long they span.
 */
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { SellingJob } from '../../../server/selling/selling.jobs.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { installedEffects, reconcileIdle, settled } from '../../helpers/installed-stock.ts';
import { editItem, stockDeps } from '../../helpers/inventory.ts';

const installed = useInstalledApp({ config: { logLevel: 'warn' } });

const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;

/** The item's selling check, its delayed retry promoted to run now. */
async function checkOf(itemId: number): Promise<{ tries: number; failed: boolean } | undefined> {
  const queue = installed.app.queues.selling;
  for (const job of await queue.getDelayed()) await job.promote().catch(() => undefined);
  const jobs: Job<SellingJob>[] = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'failed']);
  const job = jobs.find((j) => j.data.itemId === itemId);
  if (!job) return undefined;
  return { tries: job.attemptsMade, failed: (await job.getState()) === 'failed' };
}

describe('a selling check during a BigCommerce outage', () => {
  it('when BigCommerce answers 500 for longer than a check took to give up, then selling stops once it is back', async () => {
    const [item] = await assignInSandbox(installed, 110, { threshold: 5, stock: 0 });
    const { queues } = installed.app;
    const busy = async () => (await Promise.all([queues.webhooks, queues.levels, queues.selling].map((q) => q.count()))).some((n) => n > 0);
    await settled(busy, false);
    await reconcileIdle(installed);
    // The selling sweep makes up for a check given up within minutes of its change; what is tested here is
    // the check itself, as after an outage longer than the sweep looks back.
    await queues.housekeeping.pause();
    try {
      store().setSwitches({ apiFault: '500', apiFaultUntil: 0 });
      await editItem(stockDeps(db(), installedEffects(installed)), installed.storeHash, item!.id, { backorderThreshold: 0 });

      // Ten tries: more than the eight every other job gets, which gave up here.
      await expect
        .poll(
          async () => {
            const check = await checkOf(item!.id);
            return check !== undefined && (check.failed || check.tries >= 10);
          },
          { timeout: 120_000, interval: 200 },
        )
        .toBe(true);
      expect((await checkOf(item!.id))?.failed).toBe(false);
      expect(store().purchasability(110).purchasable).toBe(true);

      store().setSwitches({ apiFault: 'none', apiFaultUntil: 0 });
      await settled(async () => (await checkOf(item!.id), store().purchasability(110).purchasable), false, 30_000);
    } finally {
      store().setSwitches({ apiFault: 'none', apiFaultUntil: 0 });
      await queues.housekeeping.resume();
    }
  }, 200_000);
});
