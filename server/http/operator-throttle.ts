/**
 * Wrong operator tokens, counted per client address: after FAILURES_ALLOWED within WINDOW_SECONDS of the
 * first, the address presents no token at all (the right one included, or the refusal would tell a guess
 * that hit from one that missed) until the window ends. Counted in Redis (rate-limiter-flexible: the count
 * and its expiry in one Lua call), so every web process refuses the address alike.
 *
 * Every token presented is counted before it is compared, and a right one then gives back its own count
 * only: nothing resets an address's count before its window ends, as one address is often many clients (an
 * office, a proxy, Prometheus beside an attacker), and a scrape's success must not wipe out another client's
 * failures. A failure Redis does not count (no answer within REQUEST_TIMEOUT_MS, or its
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
  /**
   * Counts a token from `client` as a failure before it is compared, so guesses sent together are counted
   * together (a check first and a count after would let a burst through uncounted). Returns the seconds
   * until the address may present a token again when this one is past FAILURES_ALLOWED (it is then not
   * compared); undefined when it may be.
   */
  attempt(client: string): Promise<number | undefined>;
  /** The attempt's token was right: its count is given back (the address's other failures stay). */
  succeeded(client: string): Promise<void>;
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

  return {
    async attempt(client) {
      // The count as this attempt's own increment left it (a read after would see the burst's later ones),
      // plus what the other side holds.
      const inShared = await inRedis((limiter) => limiter.penalty(client));
      const counts = inShared ? [inShared, await alone.get(client)] : [await alone.penalty(client), await inRedis((limiter) => limiter.get(client))];
      const held = counts.filter((count) => count != null);
      const consumed = held.reduce((sum, count) => sum + count.consumedPoints, 0);
      const msLeft = Math.max(0, ...held.map((count) => count.msBeforeNext));
      if (consumed <= FAILURES_ALLOWED) return undefined;
      if (consumed === FAILURES_ALLOWED + 1) {
        options.logger.warn(
          { client, failures: FAILURES_ALLOWED, refusedForSeconds: Math.ceil(msLeft / 1000) },
          `operator token wrong ${FAILURES_ALLOWED} times from ${client}: refused until its window ends`,
        );
      }
      return Math.max(1, Math.ceil(msLeft / 1000));
    },
    async succeeded(client) {
      if (!(await inRedis((limiter) => limiter.reward(client)))) await alone.reward(client);
    },
  };
}
