/**
 * A burst of changes at one store (a flash sale's orders) drops its cached storefront answers once a round trip
 * to Redis, not once a change: the changes that come while the store's invalidation is in flight go with the
 * next one, which begins after each of them, so none is left with answers cached before it.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, waitUntilReady, type Redis } from '../../../server/redis.ts';
import { invalidationChannel, versionKey } from '../../../server/storefront-api/invalidation.ts';
import { stockEffects } from '../../../server/wiring.ts';

const url = process.env.REDIS_URL!;
const prefix = `invburst-${randomUUID()}`;
let redis: Redis;
let listener: Redis;
const told: string[] = [];

beforeAll(async () => {
  [redis, listener] = [createRedis(url, 'producer'), createRedis(url, 'worker')];
  await Promise.all([waitUntilReady(redis, url), waitUntilReady(listener, url)]);
  listener.on('message', (_channel: string, storeHash: string) => told.push(storeHash));
  await listener.subscribe(invalidationChannel(prefix));
});
afterAll(async () => {
  await Promise.all([redis.quit(), listener.quit()]);
});

/** The stock effects of one process, its queues unused: only the storefront's cache is watched. */
const effects = () => stockEffects({ sellingQueue: {} as Queue, levelsQueue: {} as Queue, redis, prefix });
const version = async (storeHash: string) => Number(await redis.get(versionKey(prefix, storeHash)));

describe('storefront invalidation under a burst', () => {
  it('when 20 changes at one store and 5 at another commit together, then each store is invalidated twice: the first change alone, the rest as one', async () => {
    const process_ = effects();
    const changes = [...Array.from({ length: 20 }, () => 'burst-a'), ...Array.from({ length: 5 }, () => 'burst-b')];
    await Promise.all(changes.map((storeHash) => process_.changed(storeHash, [])));
    expect([await version('burst-a'), await version('burst-b')]).toEqual([2, 2]);
    await expect.poll(() => told.length).toBe(4);
    expect(told.filter((storeHash) => storeHash === 'burst-a')).toHaveLength(2);

    // A change after the burst goes at once, on its own.
    await process_.changed('burst-a', []);
    expect(await version('burst-a')).toBe(3);
  });

  it('when a change comes while its store’s invalidation is in flight, then it resolves only after a later one', async () => {
    const process_ = effects();
    const first = process_.changed('burst-c', []);
    const second = process_.changed('burst-c', []).then(() => version('burst-c'));
    await first;
    // The second waited for the first and then bumped the version again: its answers are dropped too.
    expect(await second).toBe(2);
  });
});
