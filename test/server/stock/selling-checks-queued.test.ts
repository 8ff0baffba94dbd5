/**
 * Selling checks are asked for in bulk: a change that takes thousands of items to 0 salable (an import, a bulk
 * edit) asks for their checks in a few round trips to Redis, and each item still has at most one check waiting.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';
import { queueSellingChecks, type SellingJob } from '../../../server/selling/selling.jobs.ts';

const url = process.env.REDIS_URL!;
let redis: Redis;
let queue: Queue<SellingJob>;

beforeAll(async () => {
  redis = createRedis(url, 'producer');
  await waitUntilReady(redis, url);
  queue = new Queue<SellingJob>('selling-bulk-test', { connection: redis, prefix: `sellbulk-${randomUUID()}` });
  await queue.waitUntilReady();
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

/** Counts the writes to Redis's socket (one a round trip, a pipeline's commands included) while `work` runs. */
async function writesDuring(work: () => Promise<void>): Promise<number> {
  const stream = (redis as unknown as { stream: { write: (...args: unknown[]) => boolean } }).stream;
  const write = stream.write;
  let writes = 0;
  stream.write = (...args: unknown[]) => (writes++, write.apply(stream, args));
  try {
    await work();
  } finally {
    stream.write = write;
  }
  return writes;
}

describe('asking for selling checks', () => {
  it('when 1,200 items of a store need checks, then they are asked for in a few round trips, one check an item', async () => {
    const items = Array.from({ length: 1_200 }, (_, i) => i + 1);
    const writes = await writesDuring(() => queueSellingChecks(queue, 'bulk1', [...items, 7, 7]));
    expect(writes).toBeLessThanOrEqual(5);
    const waiting = await queue.getWaiting(0, -1);
    expect(waiting).toHaveLength(1_200);
    expect(new Set(waiting.map((job) => job.data.itemId))).toEqual(new Set(items));
    expect(waiting.every((job) => job.data.storeHash === 'bulk1')).toBe(true);

    // Asked again while they wait: each item still has one check waiting; another store's are its own.
    await queueSellingChecks(queue, 'bulk1', items.slice(0, 600));
    await queueSellingChecks(queue, 'bulk2', [1, 2]);
    expect(await queue.getWaitingCount()).toBe(1_202);
  });
});
