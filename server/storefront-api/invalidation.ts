/**
 * Storefront answers are cached (in each web process, and in Redis for all of them). Any change that a
 * shopper could see — stock, threshold, incoming stock, assignment, settings — bumps the store's version
 * and tells every web process to drop what it holds for the store.
 */
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
