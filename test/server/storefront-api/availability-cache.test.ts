/**
 * A web process keeps storefront answers in memory only while invalidations can reach it
 * (server/storefront-api/availability-cache.ts): with its subscription cut, a change announced meanwhile
 * would never drop them, so it keeps none and answers from Redis, whose versions stay right.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAvailabilityCache, type AvailabilityCache } from '../../../server/storefront-api/availability-cache.ts';
import { invalidateStorefront } from '../../../server/storefront-api/invalidation.ts';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';

const url = process.env.REDIS_URL!;
const STORE = 'cache1';
const opened: Array<{ cache: AvailabilityCache; redis: Redis[] }> = [];
afterEach(async () => {
  for (const { cache, redis } of opened.splice(0)) {
    await cache.close();
    for (const connection of redis) connection.disconnect();
  }
});

async function processCache(prefix = `c-${randomUUID()}`, sharedMaxAnswers?: number) {
  const redis = createRedis(url, 'producer');
  const subscriber = createRedis(url, 'worker');
  await Promise.all([waitUntilReady(redis, url), waitUntilReady(subscriber, url)]);
  const cache = await createAvailabilityCache({ redis, subscriber, prefix, ...(sharedMaxAnswers ? { sharedMaxAnswers } : {}) });
  opened.push({ cache, redis: [redis, subscriber] });
  let computed = 0;
  const compute = async () => ({ body: `{"n":${++computed}}`, etag: `W/"${computed}"`, expiresAt: Date.now() + 60_000 });
  return { cache, redis, subscriber, prefix, compute };
}

describe('storefront answers kept in a web process', () => {
  it('when its subscription to invalidations is cut, then it drops what it kept, keeps nothing more, and answers at the version Redis holds', async () => {
    const { cache, redis, subscriber, prefix, compute } = await processCache();
    expect((await cache.get(STORE, 'k', compute)).body).toBe('{"n":1}');
    expect(cache.peek(STORE, 'k')?.body).toBe('{"n":1}');

    subscriber.disconnect();
    await vi.waitFor(() => expect(subscriber.status).toBe('end'));
    expect(cache.peek(STORE, 'k')).toBeUndefined();

    // A change while it cannot hear of it: the answer from Redis is at the new version, and is not kept here.
    await invalidateStorefront(redis, prefix, STORE);
    expect((await cache.get(STORE, 'k', compute)).body).toBe('{"n":2}');
    expect(cache.peek(STORE, 'k')).toBeUndefined();
    expect((await cache.get(STORE, 'k', compute)).body).toBe('{"n":2}');
  });

  it('when its subscription is made again, then it keeps answers again and hears the next invalidation', async () => {
    const { cache, redis, subscriber, prefix, compute } = await processCache();
    subscriber.disconnect(true);
    await once(subscriber, 'ready');
    await vi.waitFor(async () => {
      await cache.get(STORE, 'k', compute);
      expect(cache.peek(STORE, 'k')).toBeDefined();
    });
    await invalidateStorefront(redis, prefix, STORE);
    await vi.waitFor(() => expect(cache.peek(STORE, 'k')).toBeUndefined());
  });

  it("when a store's answers in Redis reach their bound, then further ones are still given, kept in the process only", async () => {
    const prefix = `c-${randomUUID()}`;
    const first = await processCache(prefix, 2);
    for (const key of ['a', 'b', 'c']) await first.cache.get(STORE, key, first.compute);
    expect(await first.redis.hlen(`${prefix}:storefront-answers:${STORE}:0`)).toBe(2);
    expect(first.cache.peek(STORE, 'c')?.body).toBe('{"n":3}');

    // Another process finds the first two in Redis and computes the third itself.
    const second = await processCache(prefix, 2);
    expect((await second.cache.get(STORE, 'a', second.compute)).body).toBe('{"n":1}');
    expect((await second.cache.get(STORE, 'c', second.compute)).body).toBe('{"n":1}');
  });

  it('when an answer is marked not to be kept, then it is given and kept nowhere', async () => {
    const { cache, redis, prefix } = await processCache();
    const answer = { body: '{}', etag: 'W/"e"', expiresAt: Date.now() + 60_000, kept: false };
    expect(await cache.get(STORE, 'k', async () => answer)).toBe(answer);
    expect(cache.peek(STORE, 'k')).toBeUndefined();
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });
});
