/** Stops or resumes selling an item in BigCommerce when its salable quantity crossed 0. */
import { Worker } from 'bullmq';
import type { SellingJob } from '../selling/selling.jobs.ts';
import { convergeSelling } from '../selling/selling.service.ts';
import { sellingStoppedMessage } from '../settings/settings.service.ts';
import type { WorkerDeps } from './deps.ts';
import { storeWork } from './processors.ts';
import { QUEUE_NAMES } from './queues.ts';

export function createSellingWorker(deps: WorkerDeps): Worker<SellingJob> {
  return new Worker<SellingJob>(
    QUEUE_NAMES.selling,
    storeWork(async (job) => {
      const { storeHash, itemId } = job.data;
      const connection = await deps.gateway.connect(storeHash);
      return convergeSelling({ lock: deps.lock, connection }, storeHash, itemId, () => sellingStoppedMessage(deps.db, storeHash));
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
