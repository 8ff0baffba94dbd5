/**
 * A per-client budget for the public storefront API: a fixed window per client address, counted in Redis
 * (rate-limiter-flexible: the count and its expiry in one Lua call), so every web process draws on the
 * same budget. It protects the API from a runaway script or a scraper; a shopper's page view costs one
 * request.
 *
 * The answer never waits for Redis: the storefront's hot path does no I/O. Each request is counted as it
 * is answered, and once the count says the client's budget is spent, this process refuses it from memory
 * until its window ends. So a process may let through one request more than the budget (the one whose
 * count it had not heard back yet), and every process learns of a spent budget at its next request from
 * that client. When Redis cannot count (away or frozen), requests go through uncounted.
 */
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.ts';
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

/** How often, at most, a budget that cannot be counted says so in the log. */
const UNCOUNTED_LOG_INTERVAL_MS = 60_000;
/** Past this many refused clients in memory, those whose window ended are forgotten. */
const REFUSED_PRUNE_SIZE = 10_000;

/** The storefront API's budget per client, shared by every process on the same Redis and prefix. */
export function clientBudget(options: ClientBudgetOptions): ClientBudget {
  const now = Date.now;
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}:storefront-budget`,
    points: options.perWindow,
    duration: options.windowSeconds,
  });
  /** Clients whose budget is spent, and when their window ends (ms). */
  const refused = new Map<string, number>();
  let loggedAt = -Infinity;

  const refuse = (client: string, msLeft: number) => {
    if (refused.size >= REFUSED_PRUNE_SIZE) {
      for (const [other, until] of refused) if (until <= now()) refused.delete(other);
    }
    refused.set(client, now() + msLeft);
  };
  const uncounted = (error: unknown) => {
    if (now() - loggedAt < UNCOUNTED_LOG_INTERVAL_MS) return;
    loggedAt = now();
    options.logger.warn({ err: error }, 'storefront API budget not counted (Redis did not answer): requests go through uncounted');
  };

  return {
    take(client) {
      const until = refused.get(client);
      if (until !== undefined) {
        if (until > now()) return Math.ceil((until - now()) / 1000);
        refused.delete(client);
      }
      limiter.consume(client).then(
        (counted) => counted.remainingPoints <= 0 && refuse(client, counted.msBeforeNext),
        (outcome: unknown) => (outcome instanceof RateLimiterRes ? refuse(client, outcome.msBeforeNext) : uncounted(outcome)),
      );
      return undefined;
    },
  };
}
