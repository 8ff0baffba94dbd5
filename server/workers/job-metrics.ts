/** Each worker's jobs measured: run time by outcome, failed attempts, and how long a new job waited. */
import type { Job, Worker } from 'bullmq';
import { jobDuration, jobFailures, jobWait } from '../metrics/metrics.ts';

/** Records the worker's jobs in the process's metrics (see metrics.ts). */
export function measureJobs(worker: Worker): void {
  const queue = worker.name;
  const ran = (job: Job) => (job.processedOn !== undefined ? (Date.now() - job.processedOn) / 1000 : undefined);
  worker.on('active', (job) => {
    // A retry's wait includes its backoff, which is no queue's slowness: only first attempts are measured.
    if (job.attemptsMade === 0) jobWait.observe({ queue }, Math.max(0, Date.now() - job.timestamp - (job.opts.delay ?? 0)) / 1000);
  });
  worker.on('completed', (job) => {
    const seconds = ran(job);
    if (seconds !== undefined) jobDuration.observe({ queue, outcome: 'completed' }, seconds);
  });
  worker.on('failed', (job) => {
    jobFailures.inc({ queue });
    const seconds = job && ran(job);
    if (seconds !== undefined) jobDuration.observe({ queue, outcome: 'failed' }, seconds);
  });
}
