/**
 * The per-store API budget in Redis, so that every web and worker process of a deployment draws from the
 * one quota BigCommerce gives the store. Taking a unit is one Lua script, atomic across processes; it
 * applies the same rules as `MemoryRateLimitState` (see `currentWindow`). The gateway is one for the web
 * app and the workers: no call waits on Redis for its budget longer than REDIS_DEADLINE_MS (a frozen Redis
 * fails the call, which a job retries and a token check answers as `unknown`).
 */
import { createHash } from 'node:crypto';
import type { Redis } from '../redis.ts';
import { withTimeout } from '../with-timeout.ts';
import { sameWindowToleranceMs, type RateLimitState, type RateLimitWindow } from './rate-limit.ts';

// KEYS[1] = the store's hash key; ARGV[1] = now (epoch ms). Returns 0 (send) or the ms to wait.
const RESERVE = `
local v = redis.call('HMGET', KEYS[1], 'remaining', 'quota', 'windowMs', 'resetAt')
if not v[1] then return 0 end
local now = tonumber(ARGV[1])
local remaining, quota, windowMs, resetAt = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]), tonumber(v[4])
if resetAt <= now then
  if quota <= 0 or windowMs <= 0 then
    redis.call('DEL', KEYS[1])
    return 0
  end
  resetAt = resetAt + (math.floor((now - resetAt) / windowMs) + 1) * windowMs
  remaining = quota
end
if remaining > 0 then
  redis.call('HSET', KEYS[1], 'remaining', remaining - 1, 'resetAt', resetAt)
  return 0
end
redis.call('HSET', KEYS[1], 'remaining', 0, 'resetAt', resetAt)
return resetAt - now
`;

// KEYS[1] = the store's hash key; ARGV = remaining, quota, windowMs, resetAt, tolerance ms, expiry ms.
// The rule of `mergeWindow`: within the same window the smaller count stands.
const UPDATE = `
local remaining, resetAt, tolerance = tonumber(ARGV[1]), tonumber(ARGV[4]), tonumber(ARGV[5])
local v = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt')
if v[1] and v[2] and resetAt < tonumber(v[2]) + tolerance then
  remaining = math.min(remaining, tonumber(v[1]))
end
redis.call('HSET', KEYS[1], 'remaining', remaining, 'quota', ARGV[2], 'windowMs', ARGV[3], 'resetAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return remaining
`;

/** A script sent by its digest (EVALSHA): Redis then neither receives nor hashes its text on every call. */
interface Script {
  lua: string;
  sha: string;
}

const script = (lua: string): Script => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });
const SCRIPTS = { reserve: script(RESERVE), update: script(UPDATE) };

/** Runs a script on one key by its digest, or by its text when Redis does not hold it yet (a restart, a new server). */
async function run(redis: Redis, { lua, sha }: Script, key: string, ...args: Array<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(sha, 1, key, ...args);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return redis.eval(lua, 1, key, ...args);
  }
}

/** How long a budget command may wait for Redis's answer. */
const REDIS_DEADLINE_MS = 1_000;

const answered = <T>(command: Promise<T>) => withTimeout(command, REDIS_DEADLINE_MS, 'no answer from Redis for the store’s API budget');

/** A budget nobody has refreshed for this long is forgotten (the next answer brings a fresh one). */
const IDLE_EXPIRY_MS = 10 * 60 * 1000;

/** Keeps budgets under `${prefix}:ratelimit:${storeHash}` (the queue prefix keeps them in one cluster slot). */
export class RedisRateLimitState implements RateLimitState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(storeHash: string): string {
    return `${this.prefix}:ratelimit:${storeHash}`;
  }

  async reserve(storeHash: string, now: number): Promise<number> {
    return Number(await answered(run(this.redis, SCRIPTS.reserve, this.key(storeHash), now)));
  }

  /** The budget BigCommerce last reported for the store; undefined when none is known. */
  async read(storeHash: string): Promise<RateLimitWindow | undefined> {
    const [remaining, quota, windowMs, resetAt] = await answered(this.redis.hmget(this.key(storeHash), 'remaining', 'quota', 'windowMs', 'resetAt'));
    if (remaining === null || quota === null || windowMs === null || resetAt === null) return undefined;
    return { remaining: Number(remaining), quota: Number(quota), windowMs: Number(windowMs), resetAt: Number(resetAt) };
  }

  async update(storeHash: string, window: RateLimitWindow): Promise<void> {
    const resetAt = Math.round(window.resetAt);
    const expiry = Math.max(0, resetAt - Date.now()) + IDLE_EXPIRY_MS;
    await answered(
      run(
        this.redis,
        SCRIPTS.update,
        this.key(storeHash),
        window.remaining,
        window.quota,
        window.windowMs,
        resetAt,
        sameWindowToleranceMs(window.windowMs),
        expiry,
      ),
    );
  }
}
