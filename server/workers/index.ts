/** Starts every worker of this process and closes them on shutdown. */
import type { Worker } from 'bullmq';
import type { BigCommercePorts } from '../app-lifecycle/ports.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { createHousekeepingWorker, scheduleHousekeeping } from './housekeeping.worker.ts';
import type { Queues } from './queues.ts';
import { createStoreJobsWorker } from './store-jobs.worker.ts';

export interface WorkerDeps {
  db: Db;
  /** A connection with `maxRetriesPerRequest: null`; BullMQ duplicates it for blocking commands. */
  connection: Redis;
  prefix: string;
  queues: Queues;
  logger: Logger;
  ports: BigCommercePorts;
}

export interface Workers {
  close(): Promise<void>;
}

/** Starts the workers and schedules the recurring jobs. */
export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const workers: Worker[] = [createHousekeepingWorker(deps), createStoreJobsWorker(deps)];
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleHousekeeping(deps.queues);
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
