/** Stops or resumes selling an item in BigCommerce when its salable quantity crossed 0. */
import { Worker } from 'bullmq';
import { purchasingGateway } from '../selling/purchasing-gateway.ts';
import type { SellingJob } from '../selling/selling.jobs.ts';
import { convergeSelling } from '../selling/selling.service.ts';
import { getSettings } from '../settings/settings.service.ts';
import type { WorkerDeps } from './deps.ts';
import { QUEUE_NAMES } from './queues.ts';
import { delayWhenRateLimited } from './rate-limited.ts';

export function createSellingWorker(deps: WorkerDeps): Worker<SellingJob> {
  return new Worker<SellingJob>(
    QUEUE_NAMES.selling,
    delayWhenRateLimited(async (job) => {
      const { storeHash, itemId } = job.data;
      const client = await deps.clientFor(storeHash);
      if (!client) return 'store-not-installed';
      const settings = await getSettings(deps.db, storeHash);
      return convergeSelling(
        { lock: deps.lock, gateway: purchasingGateway(client) },
        storeHash,
        itemId,
        settings.inventory.sellingStoppedMessage,
      );
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
