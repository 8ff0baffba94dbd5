/**
 * How the workers run work on one store. A job that meets the store's spent API budget is put back to
 * wait out the reset (BullMQ's delayed set) instead of sleeping in its worker slot: one busy store must
 * not hold the workers every store shares (the gateway's one rate-budget policy, bigcommerce/gateway.ts).
 * A store that uninstalled the app has nothing left to do: its job ends as `store-not-installed`.
 */
import { DelayedError, type Job } from 'bullmq';
import { RateLimitedError, StoreNotConnectedError } from '../bigcommerce/index.ts';

/** What these processors use of a job: BullMQ's Job, or the copy a store-jobs process is given (store-jobs.worker.ts). */
export interface DelayableJob<T> {
  data: T;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}

/** A processor whose job waits in the delayed set when BigCommerce's budget is spent (see above). */
export function delayWhenRateLimited<T extends { storeHash: string }, R, J extends DelayableJob<T> = Job<T>>(
  processor: (job: J) => Promise<R>,
): (job: J, token?: string) => Promise<R> {
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

/** A processor of work that calls one store in BigCommerce (see above). */
export function storeWork<T extends { storeHash: string }, R>(
  processor: (job: Job<T>) => Promise<R>,
): (job: Job<T>, token?: string) => Promise<R | 'store-not-installed'> {
  return delayWhenRateLimited(async (job: Job<T>) => {
    try {
      return await processor(job);
    } catch (error) {
      if (error instanceof StoreNotConnectedError) return 'store-not-installed' as const;
      throw error;
    }
  });
}
