/**
 * Redis connections, by who waits on them:
 * - `request`: web requests (flash messages, the storefront cache, queueing work, rate-limit state,
 *   /healthz). A request never waits on Redis for long: each command has a deadline, and a connection
 *   that hears nothing back is dropped and re-made, so while Redis is frozen or away every command fails
 *   at once (no offline queue) and the request goes on without it.
 * - `producer`: commands of the workers (queueing follow-up work, rate-limit state); fails fast when the
 *   connection is down, waits otherwise.
 * - `worker`: BullMQ's workers and subscribers, which wait for Redis indefinitely, as BullMQ requires.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { safeUrl, UnreachableError } from './errors.ts';

export type { Redis };

export type RedisRole = 'request' | 'producer' | 'worker';

/** How long a request-path command may wait for Redis's answer. */
export const REQUEST_TIMEOUT_MS = 500;

const OPTIONS: Record<RedisRole, RedisOptions> = {
  request: {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: REQUEST_TIMEOUT_MS,
    // No byte back within the deadline: the connection is taken as dead and re-made; until Redis answers
    // the new one's ready check, commands are refused at once instead of each waiting out its deadline.
    socketTimeout: REQUEST_TIMEOUT_MS,
    connectTimeout: 1_000,
    // A command that failed its request must not run later, after the request went on without it.
    autoResendUnfulfilledCommands: false,
  },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false },
  worker: { maxRetriesPerRequest: null },
};

const lastErrors = new WeakMap<Redis, string>();
const OFFLINE_REFUSAL = /^Stream isn't writeable/;

/** Opens a connection for the given role; call `waitUntilReady` before relying on it. */
export function createRedis(url: string, role: RedisRole, name = `backorder-${role}`): Redis {
  const redis = new Redis(url, {
    ...OPTIONS[role],
    connectionName: name,
    // Reconnect forever, backing off to 2 s between attempts.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Connection errors are reported by health checks and failing commands; an unhandled 'error' event
  // would crash the process instead. The client's own refusal to send on a connection not yet made (its
  // ready check, right after a frozen Redis let it time out) says nothing about Redis; and a frozen Redis
  // shows first as a timeout, then as closed connections while ioredis re-makes them: the timeout keeps
  // saying why until Redis is ready again, or refuses connections (it died meanwhile).
  redis.on('error', (error: Error) => {
    if (OFFLINE_REFUSAL.test(error.message)) return;
    const previous = lastErrors.get(redis);
    if (previous && isTimeout(previous) && !isTimeout(error.message) && !/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(error.message)) return;
    lastErrors.set(redis, error.message);
  });
  redis.on('ready', () => lastErrors.delete(redis));
  return redis;
}

const NOT_ANSWERING = `not answering: connected, but no reply within ${REQUEST_TIMEOUT_MS} ms (is redis-server stopped or overloaded?)`;
const isTimeout = (message: string) => /timed? ?out/i.test(message);

/**
 * Why the connection cannot be used right now, in an operator's words, or undefined when it is ready. A
 * frozen Redis (stopped, swapping, overloaded) still accepts connections but answers nothing.
 */
export function redisTrouble(redis: Redis): string | undefined {
  if (redis.status === 'ready') return undefined;
  const last = lastErrors.get(redis) ?? '';
  if (isTimeout(last)) return NOT_ANSWERING;
  return last ? `not reachable (${last})` : `not connected (${redis.status})`;
}

/** Resolves when Redis answers a PING; otherwise rejects saying why, as `redisTrouble` does. */
export async function pingRedis(redis: Redis): Promise<void> {
  const trouble = redisTrouble(redis);
  if (trouble) throw new Error(trouble);
  try {
    await redis.ping();
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(isTimeout(message) ? NOT_ANSWERING : (redisTrouble(redis) ?? message), { cause: error });
  }
}

/** Resolves once the connection is usable; rejects with a message naming the URL after `timeoutMs`. */
export async function waitUntilReady(redis: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    let lastError = 'no answer';
    const onError = (error: Error) => (lastError = error.message);
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      redis.off('error', onError);
      reject(new UnreachableError(`Redis at ${safeUrl(url)} is not reachable (${lastError}); check REDIS_URL or start redis-server`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      redis.off('error', onError);
      resolve();
    };
    redis.once('ready', onReady);
    redis.on('error', onError);
  });
}

/** A process's ear on a channel of store announcements (`listenForDrops`). */
export interface DropListener {
  /** Announcements can reach this process now: subscribed, and connected. Keep nothing in memory otherwise. */
  listening(): boolean;
  /** Settles once subscribed (rejects when the subscription is refused). */
  subscribed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens on `channel` for stores whose kept answers changed: `drop(storeHash)` for each announcement, and
 * `dropAll()` whenever the subscription is cut, since announcements made while it is away are lost. Once the
 * connection is back, the channel is subscribed again, and only when Redis confirms it is the process
 * listening again: what a process keeps for a store must be kept only while `listening()`, or a change
 * announced meanwhile would never reach it.
 */
export function listenForDrops(subscriber: Redis, channel: string, drop: (storeHash: string) => void, dropAll: () => void): DropListener {
  let subscribed = false;
  let cut = false;
  let closed = false;
  const subscribe = () =>
    subscriber.subscribe(channel).then(() => {
      dropAll();
      subscribed = !closed;
    });
  subscriber.on('message', (from: string, storeHash: string) => from === channel && drop(storeHash));
  subscriber.on('close', () => {
    subscribed = false;
    cut = true;
    dropAll();
  });
  subscriber.on('ready', () => {
    if (!cut || closed) return;
    cut = false;
    subscribe().catch(() => undefined);
  });
  return {
    listening: () => subscribed && subscriber.status === 'ready',
    subscribed: subscribe(),
    async close() {
      closed = true;
      subscribed = false;
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
