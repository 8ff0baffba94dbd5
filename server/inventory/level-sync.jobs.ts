/**
 * Level reads are coalesced per store: product and SKU events add their product ids to a Redis set, and
 * one job per store reads the whole set, 250 products a request. While it runs, later events collapse
 * into at most one job waiting behind it, so a 10,000-product import in the control panel costs a few
 * dozen requests, not 10,000.
 *
 * A product id leaves the store's pending reads only once its level has been applied: a job claims a
 * batch (moved to the store's reads in flight), releases each product once its page is applied, and a
 * job that ends early — delayed by a spent API budget, failed, or killed — leaves the rest in flight,
 * where the store's next job claims them again first. A product read twice changes nothing the second
 * time; a product never read would keep stale stock until the next poll.
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

function inFlightKey(prefix: string, storeHash: string): string {
  return `${prefix}:levels-in-flight:${storeHash}`;
}

/**
 * Claims a batch of level reads, or of strict level writes. KEYS: pending, in flight; ARGV: batch size. What a
 * run left in flight is pending again, then a batch moves from pending to in flight, in one step (a crash
 * between the two would lose the batch). Returns the batch and how many stay pending. Both keys carry the
 * queue prefix (a Redis Cluster hash tag), so they share a slot.
 */
const CLAIM = `
redis.call('SUNIONSTORE', KEYS[1], KEYS[1], KEYS[2])
redis.call('DEL', KEYS[2])
local ids = redis.call('SPOP', KEYS[1], ARGV[1])
for i = 1, #ids, 1000 do redis.call('SADD', KEYS[2], unpack(ids, i, math.min(i + 999, #ids))) end
return {ids, redis.call('SCARD', KEYS[1])}
`;

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

/**
 * Claims up to LEVELS_BATCH pending product ids (those a previous run left unread first); `more` says
 * whether some remain pending. Release each with `releaseRead` once its level is applied.
 */
export async function claimPending(redis: Redis, prefix: string, storeHash: string): Promise<{ productIds: number[]; more: boolean }> {
  const [taken, left] = (await redis.eval(CLAIM, 2, pendingKey(prefix, storeHash), inFlightKey(prefix, storeHash), LEVELS_BATCH)) as [string[], number];
  return { productIds: taken.map(Number).filter(Number.isInteger), more: left > 0 };
}

/** The reads of `productIds` are applied: they leave the store's reads in flight. */
export async function releaseRead(redis: Redis, prefix: string, storeHash: string, productIds: readonly number[]): Promise<void> {
  if (productIds.length > 0) await redis.srem(inFlightKey(prefix, storeHash), ...productIds.map(String));
}

/** The store's products whose level is asked for and not applied yet (pending or in flight): 0 once every read asked for is applied. */
export async function levelReadsOutstanding(redis: Redis, prefix: string, storeHash: string): Promise<number> {
  const [pending, inFlight] = await Promise.all([redis.scard(pendingKey(prefix, storeHash)), redis.scard(inFlightKey(prefix, storeHash))]);
  return pending + inFlight;
}

function writesKey(prefix: string, storeHash: string): string {
  return `${prefix}:level-writes-pending:${storeHash}`;
}

function writesInFlightKey(prefix: string, storeHash: string): string {
  return `${prefix}:level-writes-in-flight:${storeHash}`;
}

/** Strict items whose BigCommerce level must follow the app's inputs: one write job per store takes them all. */
export async function requestLevelWrites(redis: Redis, queue: Queue, prefix: string, storeHash: string, itemIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(itemIds)].map(String);
  if (ids.length === 0) return;
  await redis.sadd(writesKey(prefix, storeHash), ...ids);
  const data: LevelsJob = { storeHash };
  await queue.add('write', data, { deduplication: { id: `level-writes-${storeHash}`, keepLastIfActive: true } });
}

/**
 * Takes the items waiting for a level write (up to LEVELS_BATCH), as reads are claimed: they stay in the store's
 * writes in flight until `releaseLevelWrites`, so a run killed before it wrote them leaves them to the next run
 * (its job's retry, after BullMQ finds it stalled), which takes them first. Give back with `requestLevelWrites`
 * what could not be written.
 */
export async function claimLevelWrites(redis: Redis, prefix: string, storeHash: string): Promise<number[]> {
  const [taken] = (await redis.eval(CLAIM, 2, writesKey(prefix, storeHash), writesInFlightKey(prefix, storeHash), LEVELS_BATCH)) as [string[], number];
  return taken.map(Number).filter(Number.isInteger);
}

/** The levels of `itemIds` are written: they leave the store's writes in flight. */
export async function releaseLevelWrites(redis: Redis, prefix: string, storeHash: string, itemIds: readonly number[]): Promise<void> {
  if (itemIds.length > 0) await redis.srem(writesInFlightKey(prefix, storeHash), ...itemIds.map(String));
}

/** A strict item's level read waits this long after an order moved it, so the orders BigCommerce counted in it have arrived. */
export const ORDER_SETTLE_MS = 5_000;

/** Reads the products again once orders have settled (a strict item an order moved a moment ago). */
export async function requestLevelSyncLater(redis: Redis, queue: Queue, prefix: string, storeHash: string, productIds: number[]): Promise<void> {
  if (productIds.length === 0) return;
  await redis.sadd(pendingKey(prefix, storeHash), ...productIds.map(String));
  const data: LevelsJob = { storeHash };
  // One delayed read per store and settle period: a read that defers again (orders still coming) asks in the next period.
  const period = Math.floor(Date.now() / ORDER_SETTLE_MS);
  await queue.add('sync', data, { delay: ORDER_SETTLE_MS, deduplication: { id: `levels-later-${storeHash}-${period}` } });
}
