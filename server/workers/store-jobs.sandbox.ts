/**
 * A store-jobs process (store-jobs.worker.ts, `apart`): BullMQ starts it with STORE_JOB_NODE_FLAGS and
 * gives it one job at a time; the worker that started it keeps the job's lock, its events and its metrics.
 * It opens what the store jobs need — the database, Redis, the queues they add to, the one door to
 * BigCommerce — with the worker's configuration, and runs the jobs as the worker would in its own process.
 * BullMQ ends it when the worker closes, after the job in hand; it ends itself when the worker is gone
 * without closing (killed): its job in hand is then another worker's to run again, as a stalled job.
 */
import { createBigCommerceGateway } from '../bigcommerce/index.ts';
import { configFromText, type Config } from '../config.ts';
import { configuredDatabase, openDatabase } from '../db/database.ts';
import { keyedLock } from '../db/keyed-lock.ts';
import { configuredKeyring } from '../keyring.ts';
import { createLogger } from '../logger.ts';
import { createRedis, waitUntilReady } from '../redis.ts';
import { accessTokenFor } from '../stores/stores.service.ts';
import { stockEffects } from '../wiring.ts';
import { createQueues } from './queues.ts';
import { STORE_JOBS_CONFIG_VARIABLE, storeJobProcessor, type StoreJobsDeps } from './store-jobs.worker.ts';

/** A few connections: one job at a time runs here, an import in one transaction. */
const POOL_SIZE = 4;

async function storeJobsDeps(): Promise<StoreJobsDeps> {
  const text = process.env[STORE_JOBS_CONFIG_VARIABLE];
  if (!text) throw new Error(`${STORE_JOBS_CONFIG_VARIABLE} is not set: a store-jobs process is started by the worker (store-jobs.worker.ts), not by hand`);
  // The worker's, its appUrl resolved.
  const config = configFromText(text) as Config & { appUrl: string };
  if (!config.databaseUrl || !config.redisUrl) throw new Error('a store-jobs process needs DATABASE_URL and REDIS_URL: it shares them with the worker');
  const logger = createLogger({ level: config.logLevel }).child({ process: 'store-jobs' });
  const database = await openDatabase({ ...configuredDatabase(config), poolSize: POOL_SIZE });
  const redis = createRedis(config.redisUrl, 'producer', 'backorder-store-jobs');
  await waitUntilReady(redis, config.redisUrl);
  const queues = createQueues(redis, config.queuePrefix, logger);
  const gateway = createBigCommerceGateway({
    config,
    redis,
    logger,
    accessTokenFor: (storeHash) => accessTokenFor(database.db, configuredKeyring(config), storeHash),
  });
  const effects = stockEffects({ sellingQueue: queues.selling, levelsQueue: queues.levels, redis, prefix: config.queuePrefix, logger });
  return { db: database.db, config, gateway, logger, effects, queues, lock: keyedLock(database) };
}

// The channel to the worker closes when the worker is gone: its open connections would keep this process alive.
process.on('disconnect', () => process.exit(1));

export default storeJobProcessor(await storeJobsDeps());
