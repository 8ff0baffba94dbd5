/**
 * The per-store API budget in Redis, so that every web and worker process of a deployment draws from the
 * one quota BigCommerce gives the store. Its operations run in a Lua script, atomic across processes; they
 * apply the same rules as `MemoryRateLimitState` (see `currentWindow`). The gateway is one for the web
 * app and the workers: no call waits on Redis for its budget longer than REDIS_DEADLINE_MS (a frozen Redis
 * fails the call, which a job retries and a token check answers as `unknown`).
 */
import { createHash } from 'node:crypto';
import type { Redis } from '../redis.ts';
import { groupCommit } from '../db/group-commit.ts';
import { withTimeout } from '../with-timeout.ts';
import { sameWindowToleranceMs, shareLeft, type CallPriority, type RateLimitState, type RateLimitWindow } from './rate-limit.ts';

// The budget's two operations, applied in one script to a batch of them (see `RedisRateLimitState`):
// KEYS[i] is the store key of operation i, ARGV[(i - 1) * 7 + 1 … + 7] its kind and arguments.
const BUDGET = `
-- Takes a unit, unless only the share of the quota the call must leave remains: 0 (send) or the ms to wait.
local function reserve(key, now, share)
  local v = redis.call('HMGET', key, 'remaining', 'quota', 'windowMs', 'resetAt')
  if not v[1] then return 0 end
  local remaining, quota, windowMs, resetAt = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]), tonumber(v[4])
  if resetAt <= now then
    if quota <= 0 or windowMs <= 0 then
      redis.call('DEL', key)
      return 0
    end
    resetAt = resetAt + (math.floor((now - resetAt) / windowMs) + 1) * windowMs
    remaining = quota
  end
  if remaining > math.floor(quota * share) then
    redis.call('HSET', key, 'remaining', remaining - 1, 'resetAt', resetAt)
    return 0
  end
  redis.call('HSET', key, 'remaining', remaining, 'resetAt', resetAt)
  return resetAt - now
end

-- Records a reported budget, by the rule of mergeWindow: within the same window the smaller count stands.
local function update(key, remaining, quota, windowMs, resetAt, tolerance, expiry)
  local v = redis.call('HMGET', key, 'remaining', 'resetAt')
  if v[1] and v[2] and resetAt < tonumber(v[2]) + tolerance then
    remaining = math.min(remaining, tonumber(v[1]))
  end
  redis.call('HSET', key, 'remaining', remaining, 'quota', quota, 'windowMs', windowMs, 'resetAt', resetAt)
  redis.call('PEXPIRE', key, expiry)
  return remaining
end

local function apply(key, at)
  if ARGV[at + 1] == 'reserve' then return reserve(key, tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3])) end
  return update(key, tonumber(ARGV[at + 2]), ARGV[at + 3], ARGV[at + 4], tonumber(ARGV[at + 5]), tonumber(ARGV[at + 6]), ARGV[at + 7])
end

local results = {}
for i, key in ipairs(KEYS) do
  local at = (i - 1) * 7
  local ok, result = pcall(apply, key, at)
  if not ok then
    -- Something other than a budget under the key (WRONGTYPE; both operations read before they write): the
    -- budget is only what BigCommerce last reported, so it is forgotten and the operation applied afresh,
    -- rather than failing every store's operation in the batch.
    redis.call('DEL', key)
    result = apply(key, at)
  end
  results[i] = result
end
return results
`;

/** One operation of a batch: its store key and its seven arguments. */
interface BudgetOperation {
  key: string;
  args: [kind: 'reserve' | 'update', ...values: Array<string | number>];
}

/** The script's digest: sent by it (EVALSHA), Redis neither receives nor hashes its text on every call. */
const BUDGET_SHA = createHash('sha1').update(BUDGET).digest('hex');

/** Runs the operations in one script by its digest, or by its text when Redis does not hold it yet (a restart, a new server). */
async function run(redis: Redis, operations: readonly BudgetOperation[]): Promise<number[]> {
  const keys = operations.map((operation) => operation.key);
  const args = operations.flatMap((operation) => [...operation.args, ...Array<number>(7 - operation.args.length).fill(0)]);
  try {
    return (await redis.evalsha(BUDGET_SHA, keys.length, ...keys, ...args)) as number[];
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return (await redis.eval(BUDGET, keys.length, ...keys, ...args)) as number[];
  }
}

/** Operations in one script at most. */
const BATCH = 200;

/** How long a budget command may wait for Redis's answer. */
const REDIS_DEADLINE_MS = 1_000;

const answered = <T>(command: Promise<T>) => withTimeout(command, REDIS_DEADLINE_MS, 'no answer from Redis for the store’s API budget');

/** A budget nobody has refreshed for this long is forgotten (the next answer brings a fresh one). */
const IDLE_EXPIRY_MS = 10 * 60 * 1000;

/**
 * Keeps budgets under `${prefix}:ratelimit:${storeHash}` (the queue prefix keeps them in one cluster slot).
 * Every API request takes a unit before it goes and records the answer's budget after: two operations, and
 * an order event makes one request. Operations asked for while a script is on its way to Redis go together
 * in the next one (group commit): under a burst one round trip serves many requests, and a lone request
 * goes at once. Within a script they apply in the order asked, each as it would alone.
 */
export class RedisRateLimitState implements RateLimitState {
  private readonly apply: (operation: BudgetOperation) => Promise<number>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // The deadline holds for each script, so that one Redis never answers frees the way for the next, and
    // for each operation, however long it waited for its script.
    const batched = groupCommit((operations: BudgetOperation[]) => answered(run(this.redis, operations)), { maxSize: BATCH });
    this.apply = (operation) => answered(batched(operation));
  }

  key(storeHash: string): string {
    return `${this.prefix}:ratelimit:${storeHash}`;
  }

  async reserve(storeHash: string, now: number, priority: CallPriority = 'stock'): Promise<number> {
    return Number(await this.apply({ key: this.key(storeHash), args: ['reserve', now, shareLeft(priority)] }));
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
    const tolerance = sameWindowToleranceMs(window.windowMs);
    await this.apply({ key: this.key(storeHash), args: ['update', window.remaining, window.quota, window.windowMs, resetAt, tolerance, expiry] });
  }
}
