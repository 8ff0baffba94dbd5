/** What the stock tests on an installed app (installed-app.ts) share: the admin's stock effects, waiting, and a reconcile run. */
import { expect } from 'vitest';
import { queueReconcile } from '../../server/reconcile/reconcile.jobs.ts';
import type { StockEffects } from '../../server/inventory/stock-effects.ts';
import { stockEffects } from '../../server/wiring.ts';
import type { InstalledApp } from './installed-app.ts';

/** The stock service's effects as the app's admin uses them: selling checks queued, the storefront's cache dropped. */
export function installedEffects(installed: InstalledApp): StockEffects {
  return stockEffects({
    sellingQueue: installed.app.queues.selling,
    levelsQueue: installed.app.queues.levels,
    redis: installed.app.redis,
    prefix: installed.app.config.queuePrefix,
  });
}

/** Waits until `read` gives `expected`. */
export async function settled<T>(read: () => Promise<T> | T, expected: T, timeout = 60_000): Promise<void> {
  await expect.poll(read, { timeout, interval: 100 }).toEqual(expected);
}

const reconcileRuns = (installed: InstalledApp) =>
  installed.app.database.db.selectFrom('reconcile_runs').selectAll().where('store_hash', '=', installed.storeHash).orderBy('id', 'desc');

/** Waits until no reconcile of the store is queued or under way (the one after install, the nightly one). */
export async function reconcileIdle(installed: InstalledApp): Promise<void> {
  const idle = async () => {
    const counts = await installed.app.queues.reconcile.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'paused');
    return Object.values(counts).every((n) => n === 0) && (await reconcileRuns(installed).where('finished_at', 'is', null).executeTakeFirst()) === undefined;
  };
  await settled(idle, true);
}

/** Queues a reconcile of the store and returns its finished run. */
export async function reconciled(installed: InstalledApp) {
  await reconcileIdle(installed);
  const before = (await reconcileRuns(installed).executeTakeFirst())?.id ?? 0;
  await queueReconcile(installed.app.queues.reconcile, installed.storeHash);
  await settled(async () => {
    const latest = await reconcileRuns(installed).executeTakeFirst();
    return latest !== undefined && latest.id > before && latest.finished_at !== null;
  }, true);
  return reconcileRuns(installed).executeTakeFirstOrThrow();
}
