/** Stops or resumes selling an item in BigCommerce when its salable quantity crossed 0. */
import { Worker } from 'bullmq';
import { outageRetryDelay } from '../outage-retries.ts';
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
    // A check's retries wait out an outage (SELLING_RETRIES): `outageRetryDelay` is the backoff of their type.
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: 4,
      settings: { backoffStrategy: (attemptsMade: number) => outageRetryDelay(attemptsMade) },
    },
  );
}
