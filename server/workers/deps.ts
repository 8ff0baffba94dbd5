/** What the workers are given: the database, Redis, the queues, and the one door to BigCommerce. */
import type { BigCommerceGateway } from '../bigcommerce/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import type { KeyedLock } from '../db/keyed-lock.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import type { Queues } from './queues.ts';

export interface WorkerDeps {
  /** With `appUrl` resolved (webhook destinations, script URLs). */
  config: Config & { appUrl: string };
  db: Db;
  /** A connection with `maxRetriesPerRequest: null`; BullMQ duplicates it for blocking commands. */
  connection: Redis;
  /** The producer connection, for plain Redis commands (coalescing sets, caches). */
  redis: Redis;
  prefix: string;
  queues: Queues;
  lock: KeyedLock;
  gateway: BigCommerceGateway;
  /** What follows a stock change: selling checks, storefront invalidation. */
  effects: StockEffects;
  logger: Logger;
}
