/**
 * A job that meets a store's spent API budget is put back to wait out the reset (BullMQ's delayed set)
 * instead of sleeping in its worker slot: one busy store must not hold the workers every store shares.
 */
import { DelayedError, type Job, type Processor } from 'bullmq';
import { RateLimitedError } from '../bigcommerce/index.ts';

/** The longest a job's BigCommerce call sleeps for the budget before the job is delayed instead. */
export const WORKER_MAX_RATE_WAIT_MS = 5_000;

export function delayWhenRateLimited<T, R>(processor: (job: Job<T>) => Promise<R>): Processor<T, R> {
  return async (job, token) => {
    try {
      return await processor(job);
    } catch (error) {
      if (error instanceof RateLimitedError && error.retryAfterMs !== undefined && token !== undefined) {
        await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
        throw new DelayedError();
      }
      throw error;
    }
  };
}
