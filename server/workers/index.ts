/**
 * Starts every worker of this process and closes them on shutdown. The composition root of the
 * background work: each domain's webhook handlers are wired into the webhooks worker's dispatcher here.
 */
import type { Worker } from 'bullmq';
import { appUninstalledHandlers } from '../app-lifecycle/app-uninstalled.handler.ts';
import type { EventHandlers } from '../bigcommerce/index.ts';
import { productEventHandlers } from '../assignments/product-events.handler.ts';
import { levelEventHandlers } from '../inventory/level-events.handler.ts';
import { orderEventHandlers } from '../orders/order-events.handler.ts';
import { queueScriptRefreshes } from '../registration/scripts-refresh.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../registration/storefront-bundle.ts';
import type { WorkerDeps } from './deps.ts';
import { logFailures } from './job-failures.ts';
import { measureJobs } from './job-metrics.ts';
import { createHousekeepingWorker, keepHousekeepingScheduled, scheduleHousekeeping } from './housekeeping.worker.ts';
import { createLevelsWorker } from './levels.worker.ts';
import { createOrderNotesWorker } from './order-notes.worker.ts';
import { createReconcileWorker } from './reconcile.worker.ts';
import { createSellingWorker } from './selling.worker.ts';
import { createStoreJobsWorker, type StoreJobsPlace } from './store-jobs.worker.ts';
import { stockFirst } from './stock-first.ts';
import { createWebhooksWorker } from './webhooks.worker.ts';

export type { WorkerDeps } from './deps.ts';
export type { StoreJobsPlace } from './store-jobs.worker.ts';

export interface Workers {
  close(): Promise<void>;
}

/** What each webhook scope means to the app: every domain's handlers, by scope. */
export function eventHandlers(deps: WorkerDeps): EventHandlers {
  return {
    ...orderEventHandlers(deps),
    ...levelEventHandlers(deps),
    ...productEventHandlers(deps),
    ...appUninstalledHandlers({ ...deps, uninstallJobs: deps.queues.reconcile }),
  };
}

/**
 * Starts the workers and schedules the recurring jobs, checking every `scheduleCheckMs` that they still are;
 * store jobs run where `storeJobs` says (store-jobs.worker.ts).
 */
export async function startWorkers(deps: WorkerDeps, storeJobs: StoreJobsPlace = 'inline', scheduleCheckMs?: number): Promise<Workers> {
  // Order notes wait while this process's events are being applied (stock-first.ts).
  const stock = stockFirst();
  const workers: Worker[] = [
    createHousekeepingWorker(deps),
    createStoreJobsWorker(deps, storeJobs),
    createWebhooksWorker({ ...deps, queue: deps.queues.webhooks, handlers: eventHandlers(deps), stockFirst: stock }),
    createSellingWorker(deps),
    createLevelsWorker(deps),
    createOrderNotesWorker(deps, stock),
    createReconcileWorker(deps),
  ];
  for (const worker of workers) {
    measureJobs(worker);
    logFailures(worker, deps.logger);
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleHousekeeping(deps.queues);
  const stopScheduling = keepHousekeepingScheduled(deps.queues, deps.logger, scheduleCheckMs);
  // A new build (a deploy) is registered in every store that has another one.
  try {
    const refreshed = await queueScriptRefreshes(deps.db, deps.queues.reconcile, await readStorefrontBundle(STOREFRONT_DIST_DIR));
    if (refreshed > 0) deps.logger.info(`registering the new storefront build in ${refreshed} stores`);
  } catch (error) {
    deps.logger.warn({ err: error }, 'the storefront scripts could not be queued for registration');
  }
  return {
    async close() {
      stopScheduling();
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
