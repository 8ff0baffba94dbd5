/**
 * Storefront answers are cached (in each web process, and in Redis for all of them). Any change that a
 * shopper could see — stock, threshold, incoming stock, assignment, settings — bumps the store's version
 * and tells every web process to drop what it holds for the store.
 */
import { groupCommit } from '../db/group-commit.ts';
import type { Redis } from '../redis.ts';

export function versionKey(prefix: string, storeHash: string): string {
  return `${prefix}:storefront-version:${storeHash}`;
}

export function invalidationChannel(prefix: string): string {
  return `${prefix}:storefront-invalidated`;
}

/** Makes every cached storefront answer of the store stale. */
export async function invalidateStorefront(redis: Redis, prefix: string, storeHash: string): Promise<void> {
  await redis.multi().incr(versionKey(prefix, storeHash)).publish(invalidationChannel(prefix), storeHash).exec();
}

/**
 * `invalidateStorefront` for a process's many changes: a store's calls that come while one of its
 * invalidations is in flight wait for it, then go as one — a flash sale's orders at one store bump its
 * version and tell the web processes once a round trip to Redis, not once an order. Each call still
 * resolves only after an invalidation that began after it did (so after the change that called it
 * committed): no answer cached before a change outlives it.
 */
export function storefrontInvalidation(redis: Redis, prefix: string): (storeHash: string) => Promise<void> {
  return groupCommit(
    async (stores: string[]) => {
      await invalidateStorefront(redis, prefix, stores[0]!);
      return stores.map(() => undefined);
    },
    { groupOf: (storeHash) => storeHash },
  );
}
