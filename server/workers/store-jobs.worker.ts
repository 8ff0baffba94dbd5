/**
 * The store-jobs worker: install, catalog sync, release all, assign and unassign (the BigCommerce side),
 * CSV imports and Sync, each tracked in its `jobs` row. Job data is `{ storeHash, jobId }` only; the work
 * connects to the store through the gateway when it calls BigCommerce. A run that meets the store's spent
 * API budget is put back until the reset and resumes from what it saved (processors.ts).
 */
import { Worker, type Job } from 'bullmq';
import { runInstall } from '../app-lifecycle/install.job.ts';
import { runAssignJob } from '../assignments/assign.job.ts';
import { runLimitModeJob } from '../assignments/limit-mode.job.ts';
import { runReleaseAll } from '../assignments/release.service.ts';
import { runUnassignJob } from '../assignments/unassign.job.ts';
import { runCatalogSync } from '../catalog/catalog-sync.service.ts';
import type { JobKind } from '../db/schema.ts';
import { runImportJob } from '../imports/import.job.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { runStoreSync } from '../catalog/store-sync.job.ts';
import { runTracked, type Attempt, type Progress, type StoreJobData, type StoreJobDeps } from '../jobs/jobs.service.ts';
import type { Redis } from '../redis.ts';
import { delayWhenRateLimited } from './processors.ts';
import { QUEUE_NAMES, type Queues } from './queues.ts';

const WORK: Record<JobKind, (deps: StoreJobDeps, data: StoreJobData, progress: Progress, attempt: Attempt) => Promise<string>> = {
  install: runInstall,
  'catalog-sync': runCatalogSync,
  'release-all': runReleaseAll,
  assign: runAssignJob,
  unassign: runUnassignJob,
  import: runImportJob,
  sync: runStoreSync,
  'limit-mode': runLimitModeJob,
};

/** Runs one store job. */
export async function runStoreJob(deps: StoreJobDeps, job: Pick<Job<StoreJobData>, 'name' | 'data' | 'attemptsMade' | 'opts'>): Promise<string> {
  const work = WORK[job.name as JobKind];
  if (!work) throw new Error(`Unknown store job "${job.name}"`);
  const attempt = { attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 };
  return runTracked(deps.db, job.data, attempt, (progress) => work(deps, job.data, progress, attempt));
}

export function createStoreJobsWorker(deps: StoreJobDeps & { effects: StockEffects; connection: Redis; prefix: string; queues: Queues }): Worker {
  // An import starts the assign job: the work is given the queue it runs on.
  const withQueue: StoreJobDeps = { ...deps, storeJobs: deps.queues.storeJobs };
  const processJob = async (job: Job<StoreJobData>) => {
    try {
      return await runStoreJob(withQueue, job);
    } finally {
      // Each of them changes what shoppers may be told (assignments, variants' options, the store's stock
      // display), even when it stops half-way: the storefront's cached answers for the store go.
      await deps.effects.changed(job.data.storeHash, []).catch((error: unknown) => deps.logger.warn({ err: error }, 'storefront invalidation failed'));
    }
  };
  const worker = new Worker<StoreJobData>(QUEUE_NAMES.storeJobs, delayWhenRateLimited(processJob), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 2,
  });
  worker.on('failed', (job, error) =>
    deps.logger.warn({ err: error, job: job?.name, storeHash: job?.data.storeHash, jobId: job?.data.jobId }, 'store job attempt failed'),
  );
  return worker;
}
