/** Re-reads levels from BigCommerce: the coalesced event-driven reads, and the periodic poll. */
import { Worker } from 'bullmq';
import { requestLevelSync, takePending, type LevelsJob } from '../inventory/level-sync.jobs.ts';
import { syncLevels } from '../inventory/level-sync.service.ts';
import type { WorkerDeps } from './deps.ts';
import { QUEUE_NAMES } from './queues.ts';

export function createLevelsWorker(deps: WorkerDeps): Worker<LevelsJob> {
  const { effects } = deps;
  return new Worker<LevelsJob>(
    QUEUE_NAMES.levels,
    async (job) => {
      const { storeHash } = job.data;
      const client = await deps.clientFor(storeHash);
      if (!client) return 'store-not-installed';
      let productIds: number[] | undefined;
      if (!job.data.all) {
        const pending = await takePending(deps.redis, deps.prefix, storeHash);
        productIds = pending.productIds;
        if (pending.more) await requestLevelSync(deps.redis, deps.queues.levels, deps.prefix, storeHash, []);
      }
      const result = await syncLevels(deps.db, client, storeHash, productIds);
      if (result.changedItems.length > 0) await effects.changed(storeHash, result.changedItems);
      return { read: result.itemsRead, changed: result.changedItems.length, missing: result.missing.length };
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
