/**
 * What the composition root (main.ts, app.ts) connects for domains that must not import each other:
 * after a stock change (inventory), selling is checked (selling), the storefront's cached answers are
 * dropped (storefront-api), and strict items' levels are queued for writing (inventory's levels queue).
 */
import type { Queue } from 'bullmq';
import { requestLevelWrites } from './inventory/level-sync.jobs.ts';
import { stockEffectsWith, type StockEffects } from './inventory/stock-effects.ts';
import type { Logger } from './logger.ts';
import type { Redis } from './redis.ts';
import { queueSellingChecks } from './selling/selling.jobs.ts';
import { storefrontInvalidation } from './storefront-api/invalidation.ts';

/** The stock effects over the selling and levels queues and the store's storefront version in Redis. */
export function stockEffects(deps: { sellingQueue: Queue; levelsQueue: Queue; redis: Redis; prefix: string; logger?: Logger }): StockEffects {
  return stockEffectsWith({
    checkSelling: (storeHash, itemIds) => queueSellingChecks(deps.sellingQueue, storeHash, itemIds),
    writeLevels: (storeHash, itemIds) => requestLevelWrites(deps.redis, deps.levelsQueue, deps.prefix, storeHash, itemIds),
    invalidateStorefront: storefrontInvalidation(deps.redis, deps.prefix),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
