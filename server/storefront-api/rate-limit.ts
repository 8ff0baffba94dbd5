/**
 * A per-client budget for the public storefront API: a fixed window per client address, counted in Redis
 * (rate-limiter-flexible: the count and its expiry in one Lua call), so every web process draws on the
 * same budget. It protects the API from a runaway script or a scraper; a shopper's page view costs one
 * request.
 *
 * The answer never waits for Redis: the storefront's hot path does no I/O. Each process counts its own
 * requests at once and adds them to the shared count every FLUSH_MS, one Redis call per client address
 * (not per request: a flood from one address costs Redis ten calls a second). The shared count that comes
 * back tells the process what the other processes used, so an address may get up to FLUSH_MS of requests
 * per process beyond its budget, never more. When Redis cannot count (away or frozen), nothing waits for
 * it: each process goes on with its own count alone, as a budget per process.
 */
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { atMostEvery, type Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';

export interface ClientBudget {
  /** undefined when the client may go on; otherwise the seconds until its window resets. */
  take(client: string): number | undefined;
}

export interface ClientBudgetOptions {
  /** The request connection (every command has a deadline). */
  redis: Redis;
  /** The deployment's Redis key prefix: processes with the same prefix share budgets. */
  prefix: string;
  perWindow: number;
  windowSeconds: number;
  logger: Logger;
}

/** How often a process adds its requests to the shared count. */
export const FLUSH_MS = 100;
/** How often, at most, a budget that cannot be counted says so in the log. */
const UNCOUNTED_LOG_INTERVAL_MS = 60_000;

interface Window {
  /** Requests counted in this window: the shared count last heard, plus this process's since. */
  used: number;
  /** When the window ends (ms). */
  endsAt: number;
}

/** The storefront API's budget per client, shared by every process on the same Redis and prefix. */
export function clientBudget(options: ClientBudgetOptions): ClientBudget {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}:storefront-budget`,
    points: options.perWindow,
    duration: options.windowSeconds,
  });
  const windows = new Map<string, Window>();
  /** Requests of this process not yet added to the shared count. */
  const unsent = new Map<string, number>();
  let flushing: NodeJS.Timeout | undefined;
  let prunedAt = 0;
  const logGate = atMostEvery(UNCOUNTED_LOG_INTERVAL_MS);

  const uncounted = (error: unknown) => {
    if (!logGate.due()) return;
    options.logger.warn({ err: error }, 'storefront API budget not shared (Redis did not answer): each process counts alone');
  };

  const flush = () => {
    flushing = undefined;
    const now = Date.now();
    if (now - prunedAt >= 1_000) {
      prunedAt = now;
      for (const [client, window] of windows) if (window.endsAt <= now) windows.delete(client);
    }
    for (const [client, requests] of unsent) {
      // Adds to the count without refusing: the refusal is this process's to make, from what comes back.
      limiter.penalty(client, requests).then((shared) => {
        const window = windows.get(client);
        const since = unsent.get(client) ?? 0;
        windows.set(client, { used: Math.max(shared.consumedPoints + since, window?.used ?? 0), endsAt: Date.now() + shared.msBeforeNext });
      }, uncounted);
    }
    unsent.clear();
  };

  return {
    take(client) {
      const now = Date.now();
      let window = windows.get(client);
      if (!window || window.endsAt <= now) {
        window = { used: 0, endsAt: now + options.windowSeconds * 1000 };
        windows.set(client, window);
      }
      if (window.used >= options.perWindow) return Math.max(1, Math.ceil((window.endsAt - now) / 1000));
      window.used++;
      unsent.set(client, (unsent.get(client) ?? 0) + 1);
      // Unref'd: a count still to send never keeps a stopping process alive.
      flushing ??= setTimeout(flush, FLUSH_MS).unref();
      return undefined;
    },
  };
}
