/**
 * The store-jobs worker: install, catalog sync, release all, assign and unassign (the BigCommerce side),
 * CSV imports and Sync, each tracked in its `jobs` row. Job data is `{ storeHash, jobId }` only; the work
 * connects to the store through the gateway when it calls BigCommerce. A run that meets the store's spent
 * API budget is put back until the reset and resumes from what it saved (processors.ts).
 *
 * Where `npm run worker` runs, each job runs in a process of its own (`apart`: BullMQ's sandboxed
 * processors, store-jobs.sandbox.ts), started with STORE_JOB_NODE_FLAGS: an import of 100,000 rows or a
 * catalog sync then never holds the order events' process, nor its memory, and its garbage is collected sooner
 * than V8 would by default, at a cost in CPU the order events do not pay. `npm start` and the tests run them
 * in the worker's own process (`inline`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type Job } from 'bullmq';
import { runInstall } from '../app-lifecycle/install.job.ts';
import { runAssignJob } from '../assignments/assign.job.ts';
import { runLimitModeJob } from '../assignments/limit-mode.job.ts';
import { runReleaseAll } from '../assignments/release.service.ts';
import { runUnassignJob } from '../assignments/unassign.job.ts';
import { runCatalogSync } from '../catalog/catalog-sync.service.ts';
import { configToText } from '../config.ts';
import type { JobKind } from '../db/schema.ts';
import { runImportJob } from '../imports/import.job.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { runStoreSync } from '../catalog/store-sync.job.ts';
import { runTracked, type Attempt, type Progress, type StoreJobData, type StoreJobDeps } from '../jobs/jobs.service.ts';
import type { Redis } from '../redis.ts';
import { delayWhenRateLimited, type DelayableJob } from './processors.ts';
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

/**
 * V8's settings in a store-jobs process. An import holds each batch of rows across database round trips,
 * so its garbage outlives the young generation, and V8 lets the old one grow to about four times what
 * survived before it collects: an import of 100,000 rows peaked at about 210 MB with V8's defaults, 126 to
 * 133 MB with these (bench/import.bench.ts), in about the same time. They cost about 11 % more CPU in a
 * process that runs order events, which is why only store jobs run with them.
 */
export const STORE_JOB_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=50', '--max-semi-space-size=8'];

/** Where the configuration reaches a store-jobs process (configToText). */
export const STORE_JOBS_CONFIG_VARIABLE = 'BACKORDER_STORE_JOBS_CONFIG';

/** Where store jobs run: in a process of their own each (`npm run worker`), or in the worker's. */
export type StoreJobsPlace = 'apart' | 'inline';

/** What a store job's processor reads of its job: BullMQ's Job, or the copy a store-jobs process is given. */
export type StoreJob = DelayableJob<StoreJobData> & Pick<Job<StoreJobData>, 'name' | 'attemptsMade' | 'opts'>;

/** What the store jobs are done with, in the worker's process or in one of their own. */
export type StoreJobsDeps = StoreJobDeps & { effects: StockEffects; queues: Queues };

/** Runs one store job. */
export async function runStoreJob(deps: StoreJobDeps, job: Pick<Job<StoreJobData>, 'name' | 'data' | 'attemptsMade' | 'opts'>): Promise<string> {
  const work = WORK[job.name as JobKind];
  if (!work) throw new Error(`Unknown store job "${job.name}"`);
  const attempt = { attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1, backoff: job.opts.backoff };
  return runTracked(deps.db, job.data, attempt, (progress) => work(deps, job.data, progress, attempt));
}

/** The processor of the store-jobs queue, wherever it runs. */
export function storeJobProcessor(deps: StoreJobsDeps): (job: StoreJob, token?: string) => Promise<string> {
  // An import starts the assign job: the work is given the queue it runs on.
  const withQueue: StoreJobDeps = { ...deps, storeJobs: deps.queues.storeJobs };
  return delayWhenRateLimited(async (job: StoreJob) => {
    try {
      return await runStoreJob(withQueue, job);
    } finally {
      // Each of them changes what shoppers may be told (assignments, variants' options, the store's stock
      // display), even when it stops half-way: the storefront's cached answers for the store go.
      await deps.effects
        .changed(job.data.storeHash, [])
        .catch((error: unknown) => deps.logger.warn({ err: error, storeHash: job.data.storeHash }, 'storefront invalidation failed'));
    }
  });
}

/**
 * The module a store-jobs process runs: its bundle beside this one where the worker runs from its bundle
 * (production, scripts/lib/server-build.mjs), its TypeScript through tsx elsewhere.
 */
function sandboxEntry(): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(fromSource ? './store-jobs.sandbox.ts' : './store-jobs.sandbox.js', import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is missing: \`node scripts/lib/server-build.mjs\` builds it (npm run worker does in production)`);
  return { file, execArgv: [...STORE_JOB_NODE_FLAGS, ...(fromSource ? ['--import', 'tsx'] : [])] };
}

export function createStoreJobsWorker(deps: StoreJobsDeps & { connection: Redis; prefix: string }, place: StoreJobsPlace = 'inline'): Worker {
  const options = { connection: deps.connection, prefix: deps.prefix, concurrency: 2 };
  let worker: Worker<StoreJobData>;
  if (place === 'apart') {
    const { file, execArgv } = sandboxEntry();
    worker = new Worker<StoreJobData>(QUEUE_NAMES.storeJobs, file, {
      ...options,
      useWorkerThreads: false,
      workerForkOptions: { execArgv, env: { ...process.env, [STORE_JOBS_CONFIG_VARIABLE]: configToText(deps.config) } },
    });
  } else {
    worker = new Worker<StoreJobData>(QUEUE_NAMES.storeJobs, storeJobProcessor(deps), options);
  }
  return worker;
}
