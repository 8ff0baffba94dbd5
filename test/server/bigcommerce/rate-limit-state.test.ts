import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitState, type RateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { RedisRateLimitState } from '../../../server/bigcommerce/redis-rate-limit-state.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';
import { testConfig } from '../../helpers/config.ts';
import { fakeApi, rateLimitHeaders, type FakeApi } from './fake-api.ts';

const T0 = 1_700_000_000_000;
const window = (remaining: number, resetIn = 10_000) => ({ remaining, quota: 150, windowMs: 30_000, resetAt: T0 + resetIn });

// Two connections stand for two processes of one deployment.
let redisA: Redis;
let redisB: Redis;
const { queuePrefix } = testConfig();
beforeAll(async () => {
  const url = process.env.REDIS_URL!;
  [redisA, redisB] = [createRedis(url, 'producer', 'rate-a'), createRedis(url, 'producer', 'rate-b')];
  await Promise.all([waitUntilReady(redisA, url), waitUntilReady(redisB, url)]);
});
afterAll(async () => {
  await redisA.quit();
  await redisB.quit();
});

const implementations: Array<[string, () => [RateLimitState, RateLimitState]]> = [
  [
    'in memory',
    () => {
      const state = new MemoryRateLimitState();
      return [state, state];
    },
  ],
  ['in Redis', () => [new RedisRateLimitState(redisA, queuePrefix), new RedisRateLimitState(redisB, queuePrefix)]],
];

describe.each(implementations)('the rate budget %s', (_name, make) => {
  let store = 0;
  const nextStore = () => `store${++store}${Math.random().toString(36).slice(2, 6)}`;

  it('when nothing is known of a store, then requests go at once', async () => {
    const [a] = make();
    expect(await a.reserve(nextStore(), T0)).toBe(0);
  });

  it('when units are left, then each user takes one until none remain, then all wait for the reset', async () => {
    const [a, b] = make();
    const hash = nextStore();
    await a.update(hash, window(3));
    expect([await a.reserve(hash, T0), await b.reserve(hash, T0), await a.reserve(hash, T0)]).toEqual([0, 0, 0]);
    expect(await b.reserve(hash, T0 + 1_000)).toBe(9_000);
    expect(await a.reserve(hash, T0 + 4_000)).toBe(6_000);
  });

  it('when an answer reports more left than was reserved here in the same window, then the smaller count stands', async () => {
    const [a, b] = make();
    const hash = nextStore();
    await a.update(hash, window(2));
    expect([await a.reserve(hash, T0), await b.reserve(hash, T0)]).toEqual([0, 0]);
    // The first of the two answers was counted before the second request reached BigCommerce.
    await b.update(hash, window(1, 9_990));
    expect(await a.reserve(hash, T0 + 100)).toBe(9_890);
    // An answer of the next window replaces the budget.
    await a.update(hash, window(149, 39_990));
    expect(await b.reserve(hash, T0 + 10_000)).toBe(0);
  });

  it('when the window is down to the share left for the stock’s calls, then background work waits for the reset and the stock’s calls take the rest', async () => {
    const [a, b] = make();
    const hash = nextStore();
    // A quota of 10: the window's last 2 units are the stock's.
    await a.update(hash, { remaining: 3, quota: 10, windowMs: 30_000, resetAt: T0 + 10_000 });
    expect(await a.reserve(hash, T0, 'background')).toBe(0);
    expect(await b.reserve(hash, T0 + 1_000, 'background')).toBe(9_000);
    expect([await a.reserve(hash, T0 + 1_000), await b.reserve(hash, T0 + 1_000, 'stock')]).toEqual([0, 0]);
    expect(await a.reserve(hash, T0 + 2_000)).toBe(8_000);
    // A new window: background work takes its units again.
    expect(await b.reserve(hash, T0 + 10_000, 'background')).toBe(0);
  });

  it('when the reset has passed, then a full window starts where the last ended', async () => {
    const [a, b] = make();
    const hash = nextStore();
    await a.update(hash, window(0));
    expect(await b.reserve(hash, T0 + 10_000)).toBe(0);
    for (let i = 1; i < 150; i++) await a.reserve(hash, T0 + 10_001);
    // 150 taken in the window that started at T0+10 s; the next opens at T0+40 s.
    expect(await b.reserve(hash, T0 + 20_000)).toBe(20_000);
  });

  it('when a 429 pause with no known quota ends, then the store is free again', async () => {
    const [a, b] = make();
    const hash = nextStore();
    await a.update(hash, { remaining: 0, quota: 0, windowMs: 0, resetAt: T0 + 500 });
    expect(await b.reserve(hash, T0)).toBe(500);
    expect(await b.reserve(hash, T0 + 500)).toBe(0);
    expect(await a.reserve(hash, T0 + 501)).toBe(0);
  });
});

describe('the budget shared through Redis', () => {
  let api: FakeApi | undefined;
  afterEach(async () => api?.close());

  it('when one process spends the window, then a client in another process waits for the reset', async () => {
    api = await fakeApi((_r, index) => ({ body: { id: 'abc' }, headers: index === 0 ? rateLimitHeaders(0, 400) : {} }));
    const options = { storeHash: `shared${Date.now()}`, accessToken: 't', apiUrl: api.url };
    await createBigCommerceClient({ ...options, rateLimitState: new RedisRateLimitState(redisA, queuePrefix) }).store.information();
    await createBigCommerceClient({ ...options, rateLimitState: new RedisRateLimitState(redisB, queuePrefix) }).store.information();
    expect(api.requests[1]!.at - api.requests[0]!.at).toBeGreaterThanOrEqual(380);
    expect(await redisA.exists(`${queuePrefix}:ratelimit:${options.storeHash}`)).toBe(1);
  });

  it('when Redis does not hold the scripts (restarted), then the budget still answers; otherwise calls send only the scripts’ digests', async () => {
    const sent: string[] = [];
    let restarted = true;
    // redisA, but answering NOSCRIPT to the first digest it is sent, as a Redis that restarted would.
    const redis = Object.assign(Object.create(redisA) as Redis, {
      evalsha: async (...args: Parameters<Redis['evalsha']>) => {
        sent.push('evalsha');
        if (restarted) {
          restarted = false;
          throw new Error('NOSCRIPT No matching script. Please use EVAL.');
        }
        return redisA.evalsha(...args);
      },
      eval: async (...args: Parameters<Redis['eval']>) => {
        sent.push('eval');
        return redisA.eval(...args);
      },
    });
    const state = new RedisRateLimitState(redis, queuePrefix);
    const storeHash = `scripts${Date.now()}`;

    await state.update(storeHash, { remaining: 2, quota: 5, windowMs: 60_000, resetAt: Date.now() + 60_000 });
    expect(await state.reserve(storeHash, Date.now())).toBe(0);
    expect(await state.reserve(storeHash, Date.now())).toBe(0);
    expect(await state.reserve(storeHash, Date.now())).toBeGreaterThan(0);

    expect(sent).toEqual(['evalsha', 'eval', 'evalsha', 'evalsha', 'evalsha']);
  });

  it('when many requests take budget at once, then a few scripts serve them all, in the order asked, each unit counted', async () => {
    let scripts = 0;
    const redis = Object.assign(Object.create(redisA) as Redis, {
      evalsha: async (...args: Parameters<Redis['evalsha']>) => {
        scripts++;
        return redisA.evalsha(...args);
      },
    });
    const state = new RedisRateLimitState(redis, queuePrefix);
    const storeHash = `batched${Date.now()}`;
    await state.update(storeHash, { remaining: 30, quota: 150, windowMs: 60_000, resetAt: Date.now() + 60_000 });
    scripts = 0;

    const now = Date.now();
    const waits = await Promise.all(Array.from({ length: 40 }, () => state.reserve(storeHash, now)));

    expect(waits.slice(0, 30)).toEqual(Array(30).fill(0));
    for (const wait of waits.slice(30)) expect(wait).toBeGreaterThan(50_000);
    // The first goes at once, alone; the 39 asked meanwhile go together.
    expect(scripts).toBe(2);
    expect(await state.read(storeHash)).toMatchObject({ remaining: 0 });
  });

  it('when a store’s key in Redis holds something other than a budget, then that budget starts afresh and the other stores’ operations in its script are unharmed', async () => {
    const state = new RedisRateLimitState(redisA, queuePrefix);
    const [first, broken, healthy] = ['first', 'broken', 'healthy'].map((name) => `${name}${Date.now()}`) as [string, string, string];
    await redisA.set(state.key(broken), 'not a budget');
    await state.update(healthy, { remaining: 5, quota: 150, windowMs: 60_000, resetAt: Date.now() + 60_000 });

    // The first goes alone; the two asked while it is on its way go together, in one script.
    const now = Date.now();
    const waits = await Promise.all([state.reserve(first, now), state.reserve(broken, now), state.reserve(healthy, now)]);

    expect(waits).toEqual([0, 0, 0]);
    expect(await state.read(healthy)).toMatchObject({ remaining: 4 });
    await state.update(broken, { remaining: 7, quota: 150, windowMs: 60_000, resetAt: Date.now() + 60_000 });
    expect(await state.read(broken)).toMatchObject({ remaining: 7 });
  });
});
