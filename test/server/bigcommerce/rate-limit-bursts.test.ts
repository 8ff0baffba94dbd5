/**
 * Concurrent calls on a small quota, against the sandbox store's real 429s: an answer's Requests-Left does
 * not count the units reserved for requests still on their way, so the client keeps the smaller count
 * within a window and does not overshoot into 429s. In memory (one process) and in Redis (many).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitState, type RateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { RedisRateLimitState } from '../../../server/bigcommerce/redis-rate-limit-state.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';
import { startSandbox, type Sandbox } from '../../../sandbox/index.ts';
import { testConfig } from '../../helpers/config.ts';

const QUOTA = 5;
const WINDOW_MS = 1_000;
let sandbox: Sandbox;
let redis: Redis;

beforeAll(async () => {
  sandbox = await startSandbox({
    clientId: 'burst-client',
    clientSecret: 'burst-secret',
    rateLimit: { quota: QUOTA, windowMs: WINDOW_MS },
    webhookTimeScale: 0.0001,
  });
  redis = createRedis(process.env.REDIS_URL!, 'producer', 'rate-bursts');
  await waitUntilReady(redis, process.env.REDIS_URL!);
}, 60_000);
afterAll(async () => {
  await redis?.quit();
  await sandbox?.stop();
});

const states: Array<[string, () => RateLimitState]> = [
  ['in memory', () => new MemoryRateLimitState()],
  ['in Redis', () => new RedisRateLimitState(redis, testConfig().queuePrefix)],
];

describe.each(states)('bursts on a small quota, the budget %s', (_name, makeState) => {
  it('when 6 workers each make 2 calls back to back on a quota of 5 a second, then every call succeeds and none is answered 429', async () => {
    const { storeHash } = await sandbox.createStore({ name: 'Burst store', seed: 'empty' });
    const statuses: number[] = [];
    const client = createBigCommerceClient({
      storeHash,
      accessToken: await sandbox.issueAccessToken(storeHash),
      apiUrl: sandbox.url,
      rateLimitState: makeState(),
      retry: { baseDelayMs: 50, maxDelayMs: 500 },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      },
    });
    // The first answer tells the client the quota.
    await client.store.information();

    const results = await Promise.all(
      Array.from({ length: 6 }, async () => [await client.catalog.products.list({ limit: 1 }), await client.catalog.products.list({ limit: 1 })]),
    );

    expect(results.flat()).toHaveLength(12);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(13);
  }, 60_000);
});
