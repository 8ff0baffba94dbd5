/**
 * Flash messages without cookies: a message for the next page is kept in Redis for five minutes under
 * the admin session's id and taken (read and deleted) by the next page rendered in that session. A flash
 * is a courtesy: when Redis is away it is dropped with a warning, never failing the request.
 */
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';

export type FlashKind = 'success' | 'info' | 'warning' | 'error';

export interface Flash {
  kind: FlashKind;
  text: string;
}

const TTL_SECONDS = 300;
const MAX_MESSAGES = 10;

export interface FlashStore {
  add(sid: string, flash: Flash): Promise<void>;
  take(sid: string): Promise<Flash[]>;
}

/** Flashes kept under `{prefix}:flash:{sid}`. */
export function createFlashStore(redis: Redis, prefix: string, logger: Logger): FlashStore {
  const keyOf = (sid: string) => `${prefix}:flash:${sid}`;
  return {
    async add(sid, flash) {
      try {
        await redis.multi().rpush(keyOf(sid), JSON.stringify(flash)).ltrim(keyOf(sid), -MAX_MESSAGES, -1).expire(keyOf(sid), TTL_SECONDS).exec();
      } catch (error) {
        logger.warn({ err: error }, 'flash message dropped: Redis unavailable');
      }
    },
    async take(sid) {
      try {
        const result = await redis.multi().lrange(keyOf(sid), 0, -1).del(keyOf(sid)).exec();
        const items = (result?.[0]?.[1] ?? []) as string[];
        return items.map((item) => JSON.parse(item) as Flash);
      } catch (error) {
        logger.warn({ err: error }, 'flash messages not read: Redis unavailable');
        return [];
      }
    },
  };
}
