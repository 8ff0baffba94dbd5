/** Re-reads levels from BigCommerce: the coalesced event-driven reads, and the periodic poll. */
import { Worker } from 'bullmq';
import { claimPending, releaseRead, requestLevelSync, type LevelsJob } from '../inventory/level-sync.jobs.ts';
import { syncLevels } from '../inventory/level-sync.service.ts';
import type { WorkerDeps } from './deps.ts';
import { QUEUE_NAMES } from './queues.ts';
import { storeWork } from './processors.ts';

export function createLevelsWorker(deps: WorkerDeps): Worker<LevelsJob> {
  return new Worker<LevelsJob>(
    QUEUE_NAMES.levels,
    storeWork(async (job) => {
      const { storeHash } = job.data;
      const connection = await deps.gateway.connect(storeHash);
      const claimed = job.data.all ? undefined : await claimPending(deps.redis, deps.prefix, storeHash);
      if (claimed?.more) await requestLevelSync(deps.redis, deps.queues.levels, deps.prefix, storeHash, []);
      // Each page is a stock change of its own (selling and the storefront follow it), released as it is
      // applied: a run delayed by the rate limit halfway keeps the rest of its reads claimed for its next run.
      const result = await syncLevels(deps, connection, storeHash, claimed?.productIds, async (page) => {
        if (claimed) await releaseRead(deps.redis, deps.prefix, storeHash, page.productIds);
      });
      // Products BigCommerce no longer has were read too: there is nothing to apply.
      if (claimed) await releaseRead(deps.redis, deps.prefix, storeHash, claimed.productIds);
      return { read: result.itemsRead, changed: result.changedItems.length, missing: result.missing.length };
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
