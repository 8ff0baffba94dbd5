/**
 * Levels in BigCommerce: the coalesced event-driven reads, the periodic poll (which also writes the strict
 * items whose level is out of step and reads a strict store's inventory settings again), and strict mode's
 * coalesced level writes.
 */
import { Worker } from 'bullmq';
import { purchasingReadStart, refreshPurchasing } from '../catalog/catalog.repo.ts';
import {
  claimLevelWrites,
  claimPending,
  releaseLevelWrites,
  releaseRead,
  requestLevelSync,
  requestLevelSyncLater,
  requestLevelWrites,
  type LevelsJob,
} from '../inventory/level-sync.jobs.ts';
import { watchStrictSettings } from '../assignments/limit-mode.service.ts';
import { syncLevels } from '../inventory/level-sync.service.ts';
import { writeStrictLevels } from '../inventory/level-writes.service.ts';
import { strictLevelsOutOfStep } from '../inventory/strict-levels.repo.ts';
import type { WorkerDeps } from './deps.ts';
import { QUEUE_NAMES } from './queues.ts';
import { storeWork } from './processors.ts';

export function createLevelsWorker(deps: WorkerDeps): Worker<LevelsJob> {
  return new Worker<LevelsJob>(
    QUEUE_NAMES.levels,
    storeWork(async (job) => {
      const { storeHash } = job.data;
      const connection = await deps.gateway.connect(storeHash);
      if (job.name === 'write') {
        const itemIds = await claimLevelWrites(deps.redis, deps.prefix, storeHash);
        try {
          const { written, unknown } = await writeStrictLevels(deps.db, connection, storeHash, itemIds);
          // A level not known since a switch: read it (once orders settle) — then it is written, if out of step.
          await requestLevelSyncLater(deps.redis, deps.queues.levels, deps.prefix, storeHash, unknown);
          await releaseLevelWrites(deps.redis, deps.prefix, storeHash, itemIds);
          return { written };
        } catch (error) {
          await requestLevelWrites(deps.redis, deps.queues.levels, deps.prefix, storeHash, itemIds);
          throw error;
        }
      }
      const claimed = job.data.all ? undefined : await claimPending(deps.redis, deps.prefix, storeHash);
      if (claimed?.more) await requestLevelSync(deps.redis, deps.queues.levels, deps.prefix, storeHash, []);
      // Each page is a stock change of its own (selling and the storefront follow it), released as it is
      // applied: a run delayed by the rate limit halfway keeps the rest of its reads claimed for its next run.
      // The mirror's purchasing_disabled follows the read too: the storefront leaves out what the merchant
      // disabled, and BigCommerce sends no product event for a variant's purchasing.
      const readFrom = await purchasingReadStart(deps.db);
      const result = await syncLevels(deps, connection, storeHash, claimed?.productIds, async (page) => {
        const refreshed = await refreshPurchasing(deps.db, storeHash, page.purchasing, readFrom);
        if (refreshed.length > 0) await deps.effects.changed(storeHash, []);
        if (claimed) await releaseRead(deps.redis, deps.prefix, storeHash, page.productIds);
      });
      // Products BigCommerce no longer has were read too: there is nothing to apply.
      if (claimed) await releaseRead(deps.redis, deps.prefix, storeHash, claimed.productIds);
      // A strict item's read that moved stock is read once more after orders settle: an order BigCommerce had
      // counted in it but whose event came later was taken for someone else's change, and the next read gives it back.
      await requestLevelSyncLater(deps.redis, deps.queues.levels, deps.prefix, storeHash, [...result.deferred, ...result.strictMoved]);
      if (job.data.all) {
        await requestLevelWrites(deps.redis, deps.queues.levels, deps.prefix, storeHash, await strictLevelsOutOfStep(deps.db, storeHash));
        await watchStrictSettings({ db: deps.db, storeJobs: deps.queues.storeJobs }, connection, storeHash);
      }
      return { read: result.itemsRead, changed: result.changedItems.length, missing: result.missing.length };
    }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4 },
  );
}
