/**
 * Two levels of cache for storefront answers. Each web process keeps recent answers in memory (the hot
 * path: no I/O at all); behind it, Redis keeps them for every process, per store and per version. Any
 * change a shopper could see bumps the store's version and is published (`invalidation.ts`): every
 * process drops what it holds for the store, and answers computed for an older version are never stored.
 * A process keeps answers in memory only while invalidations can reach it (subscribed and connected), and
 * drops them all when its subscription is cut: while it is away it answers from Redis, whose versions stay
 * right. A short time-to-live bounds staleness should an invalidation message ever be missed; an answer also
 * ends when the store's day does (`expiresAt`), since a back-in-stock date it shows may pass then.
 *
 * Anyone may ask about any list of ids for any store hash, so what is kept is bounded: answers for no active
 * store are not kept at all, Redis keeps at most SHARED_MAX_ANSWERS a store under a digest of their ids (past
 * that, answers are computed and kept in the process only), and each process at most LOCAL_MAX_ENTRIES.
 */
import { createHash } from 'node:crypto';
import { listenForDrops, type Redis } from '../redis.ts';
import { invalidationChannel, versionKey } from './invalidation.ts';

export interface CachedAnswer {
  body: string;
  etag: string;
  /** The answer is not given after this moment (ms since the epoch). */
  expiresAt: number;
  /** False: given, but not kept (no active store has the hash). */
  kept?: boolean;
}

const LOCAL_TTL_MS = 30_000;
const LOCAL_MAX_ENTRIES = 20_000;
const SHARED_TTL_S = 300;
const SHARED_MAX_ANSWERS = 2_000;

// [version, cached answer or false] in one round trip.
const READ = `
local version = redis.call('GET', KEYS[1]) or '0'
local value = redis.call('HGET', KEYS[2] .. ':' .. version, ARGV[1])
return { version, value }`;

// Stores the answer only if the version it was computed at is still current, and the store's answers are
// not at their bound.
const WRITE = `
local version = redis.call('GET', KEYS[1]) or '0'
if version ~= ARGV[1] then return 0 end
local key = KEYS[2] .. ':' .. version
if redis.call('HLEN', key) >= tonumber(ARGV[5]) then return 0 end
redis.call('HSET', key, ARGV[2], ARGV[3])
redis.call('EXPIRE', key, ARGV[4])
return 1`;

interface LocalEntry {
  answer: CachedAnswer;
  expiresAt: number;
}

export interface AvailabilityCache {
  /** The answer this process holds, if fresh: the hot path, with no I/O and no promise. */
  peek(storeHash: string, productKey: string): CachedAnswer | undefined;
  /** The cached answer, or compute (and cache) it. */
  get(storeHash: string, productKey: string, compute: () => Promise<CachedAnswer>): Promise<CachedAnswer>;
  close(): Promise<void>;
}

export async function createAvailabilityCache(deps: {
  redis: Redis;
  subscriber: Redis;
  prefix: string;
  now?: () => number;
  sharedMaxAnswers?: number;
}): Promise<AvailabilityCache> {
  const now = deps.now ?? Date.now;
  const sharedMax = deps.sharedMaxAnswers ?? SHARED_MAX_ANSWERS;
  const local = new Map<string, Map<string, LocalEntry>>();
  const generations = new Map<string, number>();
  let size = 0;

  const drop = (storeHash: string) => {
    size -= local.get(storeHash)?.size ?? 0;
    local.delete(storeHash);
    generations.set(storeHash, (generations.get(storeHash) ?? 0) + 1);
  };
  const dropAll = () => {
    for (const storeHash of [...local.keys()]) drop(storeHash);
  };

  // Kept only while invalidations can reach this process; dropped whenever the subscription is cut or made again.
  const ear = listenForDrops(deps.subscriber, invalidationChannel(deps.prefix), drop, dropAll);
  await ear.subscribed;

  const sharedKey = (storeHash: string) => `${deps.prefix}:storefront-answers:${storeHash}`;

  function remember(storeHash: string, productKey: string, answer: CachedAnswer, generation: number) {
    if ((generations.get(storeHash) ?? 0) !== generation || !ear.listening()) return;
    if (size >= LOCAL_MAX_ENTRIES) {
      // Forget the store cached longest ago; simple, and enough to bound memory.
      const oldest = local.keys().next().value;
      if (oldest !== undefined) drop(oldest);
    }
    let entries = local.get(storeHash);
    if (!entries) local.set(storeHash, (entries = new Map()));
    if (!entries.has(productKey)) size++;
    entries.set(productKey, { answer, expiresAt: Math.min(answer.expiresAt, now() + LOCAL_TTL_MS) });
  }

  const peek = (storeHash: string, productKey: string) => {
    const hit = local.get(storeHash)?.get(productKey);
    return hit && hit.expiresAt > now() ? hit.answer : undefined;
  };

  return {
    peek,
    async get(storeHash, productKey, compute) {
      const hit = peek(storeHash, productKey);
      if (hit) return hit;
      const generation = generations.get(storeHash) ?? 0;
      // Up to 100 ids of up to 10 digits: a digest keeps the field short.
      const field = createHash('sha1').update(productKey).digest('base64url');

      let version: string;
      try {
        const [current, shared] = (await deps.redis.eval(READ, 2, versionKey(deps.prefix, storeHash), sharedKey(storeHash), field)) as [string, string | null];
        version = current;
        const answer = shared ? (JSON.parse(shared) as CachedAnswer) : undefined;
        if (answer && answer.expiresAt > now()) {
          remember(storeHash, productKey, answer, generation);
          return answer;
        }
      } catch {
        // Redis away: answer from the database, and keep nothing that cannot be invalidated.
        return compute();
      }
      const computed = await compute();
      if (computed.kept === false) return computed;
      // Each answer carries its own end: Redis's time-to-live is renewed for the whole hash by every write.
      const answer = { ...computed, expiresAt: Math.min(computed.expiresAt, now() + SHARED_TTL_S * 1000) };
      remember(storeHash, productKey, answer, generation);
      await deps.redis
        .eval(WRITE, 2, versionKey(deps.prefix, storeHash), sharedKey(storeHash), version, field, JSON.stringify(answer), SHARED_TTL_S, sharedMax)
        .catch(() => undefined);
      return answer;
    },
    close: () => ear.close(),
  };
}
