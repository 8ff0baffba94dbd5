/**
 * The stores' tokens a process used lately, kept for a minute: an order's event, its note and the note's echo
 * each connect to the store, and reading the store's row each time was three statements an order (about a
 * twentieth of the machine's CPU an order at 200 a second). A store whose token changes — installed again or
 * re-authorised (a new token), uninstalled (erased) — is forgotten by every process: `forget` drops it here
 * and announces it on a Redis channel every process listens to. A process drops everything it keeps whenever
 * its subscription (re)starts, since announcements made while it was away are lost, and keeps nothing until it
 * listens; a read that an announcement overtook is used but not kept. Should an announcement still be missed,
 * an old token lives a minute at most: BigCommerce refuses it, and the job is tried again.
 *
 * Without a subscriber (a command, a store job's process) every call reads the store's row, as before.
 */
import type { Logger } from '../logger.ts';
import { listenForDrops, type Redis } from '../redis.ts';

/** How long a token is kept without being read again. */
export const TOKEN_TTL_MS = 60_000;
/** Stores kept at most; beyond it the process starts again from none. */
const MAX_KEPT = 10_000;

export interface TokenCache {
  /** The store's token: kept, or read (and kept when nothing changed meanwhile). */
  tokenFor(storeHash: string): Promise<string>;
  /** The store's token changed: every process reads it afresh. Never throws (an old token is refused and retried). */
  forget(storeHash: string): Promise<void>;
}

export function tokenChannel(prefix: string): string {
  return `${prefix}:store-token-changed`;
}

export function tokenCache(deps: {
  read: (storeHash: string) => Promise<string>;
  redis?: Redis | undefined;
  subscriber?: Redis | undefined;
  prefix: string;
  logger: Logger;
  now?: () => number;
}): TokenCache {
  const now = deps.now ?? Date.now;
  const channel = tokenChannel(deps.prefix);
  const kept = new Map<string, { token: string; until: number }>();
  // Each store's announcements so far: a read begun before one is not kept.
  const changes = new Map<string, number>();
  const drop = (storeHash: string) => {
    kept.delete(storeHash);
    changes.set(storeHash, (changes.get(storeHash) ?? 0) + 1);
  };
  // Kept only while announcements can reach this process: subscribed, and connected.
  const ear = deps.subscriber
    ? listenForDrops(deps.subscriber, channel, drop, () => {
        for (const storeHash of [...kept.keys()]) drop(storeHash);
      })
    : undefined;
  ear?.subscribed.catch((error: unknown) => deps.logger.warn({ err: error }, 'store tokens are read every time: no subscription to their changes'));

  return {
    async tokenFor(storeHash) {
      const hit = kept.get(storeHash);
      if (hit && hit.until > now()) return hit.token;
      const before = changes.get(storeHash) ?? 0;
      const token = await deps.read(storeHash);
      if (ear?.listening() && (changes.get(storeHash) ?? 0) === before) {
        if (kept.size >= MAX_KEPT) kept.clear();
        kept.set(storeHash, { token, until: now() + TOKEN_TTL_MS });
      }
      return token;
    },
    async forget(storeHash) {
      drop(storeHash);
      await deps.redis
        ?.publish(channel, storeHash)
        .catch((error: unknown) =>
          deps.logger.warn({ err: error, storeHash }, 'other processes could not be told of the store’s new token; they read it again within a minute'),
        );
    },
  };
}
