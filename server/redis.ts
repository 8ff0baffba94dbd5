/**
 * Redis connections. Producers (web requests adding jobs, cache reads) fail fast when Redis is away, so a
 * request never hangs on it; workers wait for it indefinitely, as BullMQ requires.
 */
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export type RedisRole = 'producer' | 'worker';

/** Opens a connection for the given role; call `waitUntilReady` before relying on it. */
export function createRedis(url: string, role: RedisRole, name = `backorder-${role}`): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, connectionName: name }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: name };
  const redis = new Redis(url, {
    ...options,
    // Reconnect forever, backing off to 2 s between attempts.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Connection errors are reported by health checks and failing commands; an unhandled 'error' event
  // would crash the process instead.
  redis.on('error', () => {});
  return redis;
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
      reject(new Error(`Redis at ${safeUrl(url)} is not reachable (${lastError}); check REDIS_URL or start redis-server`));
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

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
