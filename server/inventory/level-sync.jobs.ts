/**
 * Level reads are coalesced per store: product and SKU events add their product ids to a Redis set, and
 * one job per store reads the whole set, 250 products a request. While it runs, later events collapse
 * into at most one job waiting behind it, so a 10,000-product import in the control panel costs a few
 * dozen requests, not 10,000.
 */
import type { Queue } from 'bullmq';
import type { Redis } from '../redis.ts';

export interface LevelsJob {
  storeHash: string;
  /** Every assigned product, not only those named by events (the periodic poll). */
  all?: boolean;
}

/** Products read by one job at most; the rest wait for the next. */
export const LEVELS_BATCH = 5_000;

function pendingKey(prefix: string, storeHash: string): string {
  return `${prefix}:levels-pending:${storeHash}`;
}

export async function requestLevelSync(redis: Redis, queue: Queue, prefix: string, storeHash: string, productIds: number[]): Promise<void> {
  if (productIds.length > 0) await redis.sadd(pendingKey(prefix, storeHash), ...productIds.map(String));
  const data: LevelsJob = { storeHash };
  await queue.add('sync', data, { deduplication: { id: `levels-${storeHash}`, keepLastIfActive: true } });
}

/** Asks for a read of every assigned product of the store. */
export async function requestFullLevelSync(queue: Queue, storeHash: string): Promise<void> {
  const data: LevelsJob = { storeHash, all: true };
  await queue.add('poll', data, { deduplication: { id: `levels-all-${storeHash}`, keepLastIfActive: true } });
}

/** Takes up to LEVELS_BATCH pending product ids; `more` says whether some remain. */
export async function takePending(redis: Redis, prefix: string, storeHash: string): Promise<{ productIds: number[]; more: boolean }> {
  const key = pendingKey(prefix, storeHash);
  const taken = (await redis.spop(key, LEVELS_BATCH)) as string[];
  const more = (await redis.scard(key)) > 0;
  return { productIds: taken.map(Number).filter(Number.isInteger), more };
}
