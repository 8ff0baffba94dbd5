/**
 * Long work runs as a BullMQ job and reports through its `jobs` row: queued → running (with progress) →
 * succeeded or failed. The BullMQ job carries only `{ storeHash, jobId }`; anything secret is fetched by
 * the worker when it needs it. An error that retrying cannot fix (the store was uninstalled, a token no
 * longer decrypts) ends the run at once; any other is retried with backoff and the row says so.
 */
import { UnrecoverableError, type JobsOptions, type Queue } from 'bullmq';
import { BigCommerceError, NetworkError, RateLimitedError, ServerError, type BigCommerceGateway } from '../bigcommerce/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { KeyedLock } from '../db/keyed-lock.ts';
import type { Job, JobKind } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { TokenDecryptError } from '../stores/token-cipher.ts';
import { markAttemptFailed, markFinished, markStarted, openJob, openRuns, updateProgress } from './jobs.repo.ts';

/** The only data a store job carries. */
export interface StoreJobData {
  storeHash: string;
  jobId: number;
}

/** What the work of a store job is done with. */
export interface StoreJobDeps {
  db: Db;
  /** With `appUrl` resolved (webhook destinations, script URLs). */
  config: Config & { appUrl: string };
  gateway: BigCommerceGateway;
  logger: Logger;
  /** Selling checks and storefront cache after stock changes (assign, sync, import). */
  effects: StockEffects;
  /** The store-jobs queue, for work that starts more work (an import starts the assign job). */
  storeJobs?: Queue;
  /** Work that must not interleave across processes (the install's script registration and a reconcile's). */
  lock: KeyedLock;
}

/**
 * Tries per run where the default (8, about two minutes of backoff) is too long: the merchant waits on an
 * import's page, and its files queue behind it.
 */
const ATTEMPTS: Partial<Record<JobKind, number>> = { import: 3 };

/** A run's job in the store-jobs queue: one per run, whoever adds it. */
const queueJobId = (run: Pick<Job, 'kind' | 'store_hash' | 'id'>) => `${run.kind}-${run.store_hash}-${run.id}`;

async function addRun(queue: Queue, run: Pick<Job, 'kind' | 'store_hash' | 'id'>): Promise<void> {
  const data: StoreJobData = { storeHash: run.store_hash, jobId: run.id };
  await queue.add(run.kind, data, { jobId: queueJobId(run), ...(ATTEMPTS[run.kind] ? { attempts: ATTEMPTS[run.kind] } : {}) });
}

/**
 * How long a running run whose job is gone from the queue, or ended there, must have been silent before it is
 * queued again or ended: a process may still be running it (its job lost with Redis under it), and two must
 * not run it at once. Runs report as they go; one waiting for BigCommerce waits with its job in the queue.
 */
export const LOST_RUN_SILENCE_MS = 2 * 60_000;

/** What the run says when BullMQ gave its job up because the processes running it kept stopping under it. */
export const STALLED_RUN_MESSAGE = 'The worker running this was stopped more than once before it finished (restarted or killed); what it saved is kept.';

/** What became of an open run checked by `recoverLostRun`. */
export type LostRunOutcome = 'requeued' | 'ended' | 'kept';

/**
 * Puts right an open run whose job is no longer to run it. Redis lost the job (Redis back empty: restarted
 * without its append-only file, a failover, a FLUSHALL): the run is queued again and resumes from what it
 * saved, as any retry. Its job ended as failed without the run saying so (BullMQ gives a job up when the
 * processes running it stop twice under it: deploys, an out-of-memory kill): the run ends as failed with the
 * reason, and the work it stood for can start again (the admin's pages resume products left assigning or
 * unassigning). Either way the run would otherwise say "Waiting to start" or stay at its last count for an hour
 * (STALE_AFTER_MS), the work behind it waiting too.
 */
export async function recoverLostRun(db: Db, queue: Queue, run: Job, now = Date.now()): Promise<LostRunOutcome> {
  if (run.status === 'running' && now - new Date(run.updated_at).getTime() < LOST_RUN_SILENCE_MS) return 'kept';
  const job = await queue.getJob(queueJobId(run));
  if (!job) {
    await addRun(queue, run);
    return 'requeued';
  }
  // Only a job that ended needs its state asked: one waiting, running or waiting for its retry is left alone.
  if (job.finishedOn === undefined || (await job.getState()) !== 'failed') return 'kept';
  const reason = /stalled/i.test(job.failedReason ?? '') ? STALLED_RUN_MESSAGE : describe(job.failedReason || 'the run failed');
  await markAttemptFailed(db, run.store_hash, run.id, reason, true);
  return 'ended';
}

/** Puts right the open runs whose jobs Redis lost or BullMQ gave up (`recoverLostRun`); returns how many of each. */
export async function recoverLostRuns(db: Db, queue: Queue, now = Date.now()): Promise<{ requeued: number; ended: number }> {
  const outcomes = { requeued: 0, ended: 0 };
  for (const run of await openRuns(db, 1_000)) {
    const outcome = await recoverLostRun(db, queue, run, now);
    if (outcome !== 'kept') outcomes[outcome]++;
  }
  return outcomes;
}

/**
 * Opens a run and queues it; when one of that kind is already open for the store, returns that one (queued
 * again if Redis lost its job; replaced if BullMQ gave its job up).
 */
export async function queueStoreJob(db: Db, queue: Queue, storeHash: string, kind: JobKind, message: string): Promise<{ job: Job; alreadyOpen: boolean }> {
  const { job, created } = await openJob(db, storeHash, kind, message);
  if (!created) {
    // With Redis away this is left to the housekeeping's sweep.
    const outcome = await recoverLostRun(db, queue, job).catch((): LostRunOutcome => 'kept');
    // The open run has ended: this ask opens the next.
    if (outcome === 'ended') return queueStoreJob(db, queue, storeHash, kind, message);
    return { job, alreadyOpen: true };
  }
  try {
    await addRun(queue, job);
  } catch (error) {
    await markAttemptFailed(db, storeHash, job.id, 'The job queue (Redis) could not be reached.', true);
    throw new AppError('unavailable', 'The work could not be queued because Redis is unreachable. Try again in a moment.', {}, { cause: error });
  }
  return { job, alreadyOpen: false };
}

/**
 * `queueStoreJob` for work already saved that the admin's pages find again and start (resumePendingWork:
 * products left assigning or unassigning, a file no run read): with Redis away the run is left to the next
 * page view and false comes back, rather than an error telling the merchant to do again what is saved.
 */
export async function queueOrLeavePending(db: Db, queue: Queue, storeHash: string, kind: 'assign' | 'unassign' | 'import', message: string): Promise<boolean> {
  try {
    await queueStoreJob(db, queue, storeHash, kind, message);
    return true;
  } catch (error) {
    if (!(error instanceof AppError && error.kind === 'unavailable')) throw error;
    return false;
  }
}

/** What a running job tells the merchant. */
export interface Progress {
  /** Sets how much work there is (null: not known yet). */
  setTotal(total: number | null, message?: string): Promise<void>;
  /** Counts `count` more units done. */
  advance(count: number, message?: string): Promise<void>;
  say(message: string): Promise<void>;
}

export interface Attempt {
  /** Attempts made before this one. */
  attemptsMade: number;
  /** Attempts allowed in all. */
  attempts: number;
  /** The job's backoff (BullMQ's option), to tell the merchant when the next attempt comes. */
  backoff?: JobsOptions['backoff'];
}

const RETRYABLE: ReadonlySet<string> = new Set(['unavailable', 'rate_limited', 'internal']);

/** Whether the same work may succeed later (BigCommerce's rate limits and server trouble, Redis or the database away). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TokenDecryptError) return false;
  if (error instanceof AppError) return RETRYABLE.has(error.kind);
  // BigCommerce says which of its refusals may pass later (rate limits, server trouble, no answer).
  if (error instanceof BigCommerceError) return error.retryable;
  return true;
}

/** The store's API budget is spent beyond the gateway's wait: the job waits in its queue, it did not fail. */
export function isBudgetWait(error: unknown): error is RateLimitedError & { retryAfterMs: number } {
  return error instanceof RateLimitedError && error.retryAfterMs !== undefined;
}

/** What a run put back until its store's API window resets tells the merchant. */
export function budgetWaitMessage(error: RateLimitedError & { retryAfterMs: number }): string {
  const seconds = Math.ceil(error.retryAfterMs / 1000);
  return error.keptForStock
    ? `Waiting for BigCommerce: this run has used what it may of your store’s API budget for now — the rest is kept for orders, so that stock stays right; going on in about ${seconds} s.`
    : `Waiting for BigCommerce: your store’s API budget is spent for now; going on in about ${seconds} s.`;
}

/**
 * BigCommerce's trouble as the merchant reads it. The request it met (method, path, query) means nothing to
 * the merchant; it stays in the log, with the error the worker logs for each failed attempt (job-failures.ts).
 */
function troubleOf(error: unknown): string | undefined {
  if (error instanceof ServerError) return `BigCommerce is having trouble (error ${error.status})`;
  if (error instanceof NetworkError) return 'BigCommerce is not answering';
  if (error instanceof RateLimitedError) return 'BigCommerce is turning requests away for now (error 429)';
  return undefined;
}

/** A message fit for the merchant's eyes and the jobs table. */
export function describe(error: unknown): string {
  const trouble = troubleOf(error);
  if (trouble) return trouble;
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 500 ? `${message.slice(0, 497)}...` : message;
}

/**
 * About how long BullMQ waits before the attempt after `attemptsMade + 1` failed ones: the middle of the
 * backoff's range (its jitter takes off up to `jitter` of the delay). Undefined for a strategy of its own.
 */
export function nextAttemptInMs(backoff: JobsOptions['backoff'], attemptsMade: number): number | undefined {
  const { type, delay, jitter = 0 } = typeof backoff === 'number' ? { type: 'fixed', delay: backoff } : (backoff ?? {});
  if (delay === undefined || (type !== 'fixed' && type !== 'exponential')) return undefined;
  const ceiling = type === 'exponential' ? delay * 2 ** attemptsMade : delay;
  return ceiling * (1 - jitter / 2);
}

/** What a failed attempt that will be tried again tells the merchant: what went wrong, and when it goes on. */
function retryingAfter(error: unknown, attempt: Attempt): string {
  const waitMs = nextAttemptInMs(attempt.backoff, attempt.attemptsMade);
  const next = waitMs === undefined ? 'trying again shortly' : `trying again in about ${Math.max(1, Math.round(waitMs / 1000))} s`;
  return `${describe(error)}; ${next}`;
}

/** Runs `work` as the run `data.jobId`, keeping its row true; `work` returns the closing message. */
export async function runTracked(db: Db, data: StoreJobData, attempt: Attempt, work: (progress: Progress) => Promise<string>): Promise<string> {
  const { storeHash, jobId } = data;
  if (!(await markStarted(db, storeHash, jobId))) return 'This run was abandoned; a newer one took its place.';
  // A retry, or a run put back while the store's API budget was spent, keeps the count its row shows until the
  // work says how much there is (its first total): the work resumes from what it saved, and counts that first.
  let done = 0;
  let counting = false;
  const progress: Progress = {
    setTotal: (total, message) => {
      const from = counting ? {} : { done: 0 };
      counting = true;
      return updateProgress(db, storeHash, jobId, { total, ...from, ...(message !== undefined ? { message } : {}) });
    },
    advance: (count, message) => {
      counting = true;
      done += count;
      return updateProgress(db, storeHash, jobId, { done, ...(message !== undefined ? { message } : {}) });
    },
    say: (message) => updateProgress(db, storeHash, jobId, { message }),
  };
  try {
    const message = await work(progress);
    await markFinished(db, storeHash, jobId, message);
    return message;
  } catch (error) {
    if (isBudgetWait(error)) {
      // Not a failed attempt: the worker puts the run back until the reset, and it resumes from what it saved.
      await progress.say(budgetWaitMessage(error));
      throw error;
    }
    const retryable = isRetryable(error);
    const final = !retryable || attempt.attemptsMade + 1 >= attempt.attempts;
    await markAttemptFailed(db, storeHash, jobId, final ? describe(error) : retryingAfter(error, attempt), final);
    if (!retryable) throw new UnrecoverableError(describe(error));
    throw error;
  }
}
