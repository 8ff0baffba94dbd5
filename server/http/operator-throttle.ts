/**
 * Wrong operator tokens, counted per client address: after FAILURES_ALLOWED within WINDOW_SECONDS of the
 * first, the address presents no token at all (the right one included, or the refusal would tell a guess
 * that hit from one that missed) until the window ends. Counted in Redis (rate-limiter-flexible: the count
 * and its expiry in one Lua call), so every web process refuses the address alike.
 *
 * Nothing resets an address's count before its window ends, a right token included: one address is often
 * many clients (an office, a proxy, Prometheus beside an attacker), and a scrape's success must not wipe
 * out another client's failures. A failure Redis does not count (no answer within REQUEST_TIMEOUT_MS, or its
 * connection not up yet) is counted by the process alone, and the two counts add up: operators can still
 * sign in while Redis is away, and guesses made then still count.
 */
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.ts';
import { REQUEST_TIMEOUT_MS, type Redis } from '../redis.ts';
import { withTimeout } from '../with-timeout.ts';

export const FAILURES_ALLOWED = 10;
export const WINDOW_SECONDS = 15 * 60;

export interface OperatorThrottle {
  /** Seconds until `client` may present a token again; undefined when it may now. */
  waitFor(client: string): Promise<number | undefined>;
  /** Counts a wrong token from `client`. */
  failed(client: string): Promise<void>;
}

export interface OperatorThrottleOptions {
  redis: Redis;
  /** The deployment's Redis key prefix: processes with the same prefix share counts. */
  prefix: string;
  logger: Logger;
}

/** The operator door's count of wrong tokens per client address, shared by every process on the same Redis and prefix. */
export function operatorThrottle(options: OperatorThrottleOptions): OperatorThrottle {
  const limits = { keyPrefix: `${options.prefix}:operator-failures`, points: FAILURES_ALLOWED, duration: WINDOW_SECONDS };
  const shared = new RateLimiterRedis({ storeClient: options.redis, ...limits });
  const alone = new RateLimiterMemory(limits);
  /** The shared count's answer; undefined when Redis does not give it in time. */
  const inRedis = async (ask: (limiter: RateLimiterAbstract) => Promise<RateLimiterRes | null>) => {
    try {
      return (await withTimeout(ask(shared), REQUEST_TIMEOUT_MS, 'Redis did not answer')) ?? undefined;
    } catch {
      return undefined;
    }
  };
  /** The client's failures: Redis's count, and those this process could not count there. */
  const failures = async (client: string) => {
    const counts = (await Promise.all([inRedis((limiter) => limiter.get(client)), alone.get(client)])).filter((count) => count != null);
    return { consumed: counts.reduce((sum, count) => sum + count.consumedPoints, 0), msLeft: Math.max(0, ...counts.map((count) => count.msBeforeNext)) };
  };

  return {
    async waitFor(client) {
      const { consumed, msLeft } = await failures(client);
      return consumed >= FAILURES_ALLOWED ? Math.max(1, Math.ceil(msLeft / 1000)) : undefined;
    },
    async failed(client) {
      if (!(await inRedis((limiter) => limiter.penalty(client)))) await alone.penalty(client);
      const { consumed, msLeft } = await failures(client);
      if (consumed === FAILURES_ALLOWED) {
        options.logger.warn(
          { client, failures: FAILURES_ALLOWED, refusedForSeconds: Math.ceil(msLeft / 1000) },
          `operator token wrong ${FAILURES_ALLOWED} times from ${client}: refused until its window ends`,
        );
      }
    },
  };
}
