/** Starts every worker of this process and closes them on shutdown. */
import type { Worker } from 'bullmq';
import { createEventHandlers } from '../webhooks/handlers.ts';
import type { WorkerDeps } from './deps.ts';
import { createHousekeepingWorker, scheduleHousekeeping } from './housekeeping.worker.ts';
import { createLevelsWorker } from './levels.worker.ts';
import { createOrderNotesWorker } from './order-notes.worker.ts';
import { createReconcileWorker } from './reconcile.worker.ts';
import { createSellingWorker } from './selling.worker.ts';
import { createStoreJobsWorker } from './store-jobs.worker.ts';
import { createWebhooksWorker } from './webhooks.worker.ts';

export type { WorkerDeps } from './deps.ts';

export interface Workers {
  close(): Promise<void>;
}

/** Starts the workers and schedules the recurring jobs. */
export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const workers: Worker[] = [
    createHousekeepingWorker(deps),
    createStoreJobsWorker(deps),
    createWebhooksWorker({ ...deps, handlers: createEventHandlers(deps) }),
    createSellingWorker(deps),
    createLevelsWorker(deps),
    createOrderNotesWorker(deps),
    createReconcileWorker(deps),
  ];
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleHousekeeping(deps.queues);
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
