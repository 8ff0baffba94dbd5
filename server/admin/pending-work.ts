/**
 * The admin's pages resume the store's work in passing (the Assigned Products, Import and Settings pages call
 * this): it sits above assignments and imports, whose pending rows it reads.
 */
import type { Queue } from 'bullmq';
import { countPending } from '../assignments/assignment-states.repo.ts';
import { resumeLimitMode } from '../assignments/limit-mode.service.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { hasUnclaimedImport } from '../imports/imports.repo.ts';
import { queueStoreJob } from '../jobs/jobs.service.ts';

/**
 * Resumes work nobody is doing: products left `assigning` or `unassigning`, uploaded files no import run
 * claimed, and products not yet in the store's limit mode, without an open job (a run that ended just as more
 * work was added, or a queue Redis lost) get a job again. Cheap when there is nothing pending; a no-op when a
 * run is open. Pages call it in passing: with Redis away the page still opens (the run shows as failed), and
 * the next page view tries again.
 */
export async function resumePendingWork(deps: { db: Db; storeJobs: Queue }, storeHash: string): Promise<void> {
  try {
    if ((await countPending(deps.db, storeHash, 'assigning')) > 0)
      await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'assign', 'Resuming: turning off tracking in BigCommerce');
    if ((await countPending(deps.db, storeHash, 'unassigning')) > 0)
      await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'unassign', 'Resuming: handing products back to BigCommerce');
    if (await hasUnclaimedImport(deps.db, storeHash)) await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'import', 'Resuming: reading the waiting file');
    await resumeLimitMode(deps, storeHash);
  } catch (error) {
    if (!(error instanceof AppError && error.kind === 'unavailable')) throw error;
  }
}
