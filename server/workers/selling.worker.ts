/** Stops or resumes selling an item in BigCommerce when its salable quantity crossed 0. */
import { Worker } from 'bullmq';
import { BigCommerceError, RateLimitedError } from '../bigcommerce/index.ts';
import { outageRetryDelay } from '../outage-retries.ts';
import { oweSellingCheck } from '../selling/selling-owed.repo.ts';
import type { SellingJob } from '../selling/selling.jobs.ts';
import { convergeSelling } from '../selling/selling.service.ts';
import { sellingStoppedMessage } from '../settings/settings.service.ts';
import type { WorkerDeps } from './deps.ts';
import { storeWork } from './processors.ts';
import { QUEUE_NAMES } from './queues.ts';

/** BigCommerce answering 5xx, 429 or nothing: trouble that passes. A wait for the store's budget is no failure (processors.ts). */
const isBigCommerceTrouble = (error: unknown) =>
  error instanceof BigCommerceError && error.retryable && !(error instanceof RateLimitedError && error.retryAfterMs !== undefined);

export function createSellingWorker(deps: WorkerDeps): Worker<SellingJob> {
  return new Worker<SellingJob>(
    QUEUE_NAMES.selling,
    storeWork(async (job) => {
      const { storeHash, itemId } = job.data;
      try {
        const connection = await deps.gateway.connect(storeHash);
        return await convergeSelling({ lock: deps.lock, connection }, storeHash, itemId, () => sellingStoppedMessage(deps.db, storeHash));
      } catch (error) {
        // The last try given up while BigCommerce is still away: the selling sweep asks again, whenever that is.
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1) && isBigCommerceTrouble(error)) await oweSellingCheck(deps.db, storeHash, itemId);
        throw error;
      }
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
