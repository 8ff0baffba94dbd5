import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../server/bigcommerce/index.ts';
import { createRedis } from '../../../server/redis.ts';
import { delayWhenRateLimited } from '../../../server/workers/processors.ts';
import { testConfig } from '../../helpers/config.ts';

const { redisUrl, queuePrefix } = testConfig();
const producer = createRedis(redisUrl!, 'producer');
const connection = createRedis(redisUrl!, 'worker');
afterAll(() => {
  producer.disconnect();
  connection.disconnect();
});

describe('a job that meets a spent API budget', () => {
  it('when BigCommerce says to wait, then the job waits in the delayed set, not in its worker slot, and runs again after', async () => {
    const queue = new Queue('rate-limited-test', { connection: producer, prefix: queuePrefix });
    const runs: number[] = [];
    let slotFreeWhileWaiting = false;
    const worker = new Worker<{ storeHash: string; kind: string }>(
      'rate-limited-test',
      delayWhenRateLimited<{ storeHash: string; kind: string }, string>(async (job) => {
        runs.push(Date.now());
        if (job.data.kind === 'other') {
          slotFreeWhileWaiting = runs.length === 2;
          return 'other done';
        }
        if (runs.length === 1) {
          const error = new RateLimitedError({ status: 429, title: 'budget spent', context: { method: 'GET', path: '/x' } });
          error.retryAfterMs = 400;
          throw error;
        }
        return 'done';
      }),
      { connection, prefix: queuePrefix, concurrency: 1 },
    );
    try {
      const job = await queue.add('call', { storeHash: 'store-a', kind: 'call' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await queue.add('other', { storeHash: 'store-a', kind: 'other' });
      await expect.poll(async () => (await queue.getJob(job.id!))?.returnvalue, { timeout: 10_000 }).toBe('done');
      expect(runs).toHaveLength(3);
      expect(runs[2]! - runs[0]!).toBeGreaterThanOrEqual(380);
      expect(slotFreeWhileWaiting).toBe(true);
      // The wait is not a failed attempt: the job completes with its first counted attempt.
      expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
