/**
 * Every worker's failed attempts in the log, each line carrying its store: a selling check, a note or a
 * reconcile that failed is otherwise seen only as a count in `backorder_job_failures_total`. An attempt that
 * will be retried is a warning; the last one an error, since its work is left undone until someone acts.
 * A worker's own errors (its Redis connection lost) are JSON lines too, at most one a minute per worker —
 * unheard, BullMQ prints each one to stderr as it reconnects.
 */
import type { Job, Worker } from 'bullmq';
import { atMostEvery, type Logger } from '../logger.ts';

/** The store a job is about, when its data names one (every queue's but housekeeping's does). */
function storeOf(job: Job | undefined): string | undefined {
  const data: unknown = job?.data;
  return typeof data === 'object' && data !== null && 'storeHash' in data && typeof data.storeHash === 'string' ? data.storeHash : undefined;
}

/** How often, at most, one worker's own errors (or a set of queues') are logged. */
export const ERROR_LOG_INTERVAL_MS = 60_000;

export function logFailures(worker: Worker, logger: Logger): void {
  const queue = worker.name;
  const logGate = atMostEvery(ERROR_LOG_INTERVAL_MS);
  worker.on('error', (error) => {
    if (!logGate.due()) return;
    logger.warn({ err: error, queue }, `${queue} worker: ${error.message} (it retries by itself)`);
  });
  worker.on('failed', (job, error) => {
    const attempts = job?.opts.attempts ?? 1;
    const attempt = job?.attemptsMade ?? attempts;
    // An UnrecoverableError ends the job before its attempts run out: that too is its last.
    const last = attempt >= attempts || error.name === 'UnrecoverableError';
    const line = { err: error, queue, job: job?.name, jobId: job?.id, storeHash: storeOf(job), attempt, attempts };
    if (last) logger.error(line, `${queue} job failed on its last attempt`);
    else logger.warn(line, `${queue} job attempt failed`);
  });
}
