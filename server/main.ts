/**
 * start(): configuration → database (migrated) → Redis → HTTP server and workers. stop() undoes it in
 * reverse order, each step bounded in time, so Ctrl-C, SIGTERM and tests all end cleanly — above all
 * closing PGlite, whose data folder must not be left open.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { createApp } from './app.ts';
import { createBigCommerceGateway, type BigCommerceGateway, type GatewayFactory } from './bigcommerce/index.ts';
import { ConfigError, type Config } from './config.ts';
import { safeUrl } from './errors.ts';
import { configuredDatabase, openDatabase, reachDatabase, type Database } from './db/database.ts';
import { lockWaitMessage, migrate } from './db/migrate.ts';
import { configuredKeyring } from './keyring.ts';
import { createLogger, duration, type Logger } from './logger.ts';
import { createRedis, waitUntilReady, type Redis } from './redis.ts';
import { keyedLock } from './db/keyed-lock.ts';
import { createAvailabilityCache } from './storefront-api/availability-cache.ts';
import { accessTokenFor } from './stores/stores.service.ts';
import { startWorkers, type StoreJobsPlace } from './workers/index.ts';
import { stockEffects } from './wiring.ts';
import { withTimeout } from './with-timeout.ts';
import { createQueues, queueDepths, type Queues } from './workers/queues.ts';
import express from 'express';
import { watchQueueDepth } from './metrics/metrics.ts';
import { metricsRoutes } from './operator/metrics.routes.ts';
import { healthRoutes, probeDetails } from './health/health.routes.ts';
import { operatorThrottle } from './http/operator-throttle.ts';

export interface StartOptions {
  config: Config;
  logger?: Logger;
  /** Serve HTTP (default true). */
  web?: boolean;
  /** Run the workers in this process (default true). */
  workers?: boolean;
  /** Builds the one door to BigCommerce (default `createBigCommerceGateway`); tests pass a fake. */
  gateway?: GatewayFactory;
  /**
   * Where store jobs (imports, catalog syncs, installs) run: `inline` in the workers' process (default), or
   * `apart`, each in a process of its own with lean memory settings (`npm run worker`; workers/store-jobs.worker.ts).
   */
  storeJobs?: StoreJobsPlace;
  /** How often the workers check that the recurring jobs are still scheduled (default a minute); tests shorten it. */
  scheduleCheckMs?: number;
}

export interface Running {
  /** The app's public base URL. */
  url: string;
  /** The port HTTP listens on; 0 when this process serves no HTTP. */
  port: number;
  config: Config & { appUrl: string };
  logger: Logger;
  database: Database;
  /** The workers' producer connection (waits while connected; tests and scripts use it too). */
  redis: Redis;
  queues: Queues;
  /** The one door to BigCommerce, as the web app and the workers use it. */
  gateway: BigCommerceGateway;
  stop(): Promise<void>;
}

const STEP_TIMEOUT_MS = 10_000;

/** Starts the app; on failure, whatever was already opened is closed again before the error is thrown. */
export async function start(options: StartOptions): Promise<Running> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (!config.redisUrl) throw new ConfigError(['REDIS_URL: required (npm start starts a local redis-server when unset)']);
  if (options.storeJobs === 'apart' && !config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL: required when store jobs run apart: the embedded database (PGlite) cannot be shared with their processes']);
  }
  // A process of their own builds its own door to BigCommerce, from the configuration.
  if (options.storeJobs === 'apart' && options.gateway) throw new Error('store jobs that run apart use the configured BigCommerce, not a gateway factory');
  const redisUrl = config.redisUrl;

  const closers: Array<{ name: string; close: () => Promise<unknown> }> = [];
  // Graceful shutdown: first no new requests, and those in flight answered (with Redis and the database
  // still there); then the workers finish their active jobs (worker.close); then the connections close.
  const drains: Array<{ name: string; close: () => Promise<unknown> }> = [];
  const stop = async () => {
    for (const { name, close } of [...drains.splice(0), ...closers.splice(0).reverse()]) {
      await withTimeout(close(), STEP_TIMEOUT_MS).catch((error: unknown) => logger.warn({ err: error }, `stopping ${name} did not finish cleanly`));
    }
  };

  try {
    const named = configuredDatabase(config);
    const opening = Date.now();
    // PGlite's first open creates the cluster (its initdb): seconds of silence without this line.
    if (!config.databaseUrl && !existsSync(named.pgliteDir)) logger.info(`creating the embedded database in ${named.pgliteDir} (first start only)`);
    const database = await openDatabase(named);
    closers.push({ name: 'database', close: () => database.close() });
    await reachDatabase(database, named.databaseUrl);
    if (config.migrateOnStart) {
      const applied = await migrate(database.db, undefined, (wait) => logger.warn(wait, lockWaitMessage(wait)));
      const ms = Date.now() - opening;
      logger.info(
        { engine: database.engine, applied, ms },
        applied.length > 0 ? `database migrated (${applied.join(', ')}) in ${duration(ms)}` : `database schema is up to date (opened in ${duration(ms)})`,
      );
    }

    const redis = createRedis(redisUrl, 'producer');
    closers.push({ name: 'redis', close: () => redis.quit() });
    await waitUntilReady(redis, redisUrl);
    const queues = createQueues(redis, config.queuePrefix, logger);
    closers.push({ name: 'queues', close: () => queues.close() });
    const unwatch = watchQueueDepth(() => withTimeout(queueDepths(queues), STEP_TIMEOUT_MS / 5, 'no answer from Redis'));
    closers.push({ name: 'queue depth', close: async () => unwatch() });
    logger.info({ redis: safeUrl(redisUrl) }, 'redis connected');

    // Listen first: the app's public URL (webhook destination, script URLs, OAuth redirect) may come from
    // the port. Requests that arrive before the app is attached are told to retry.
    let port = 0;
    let appUrl = config.appUrl ?? '';
    let handler: RequestListener | undefined;
    if (options.web !== false) {
      const server = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503, { 'Retry-After': '1' }).end()));
      await listen(server, config.port);
      drains.push({ name: 'http server', close: () => closeServer(server) });
      port = (server.address() as AddressInfo).port;
      appUrl = config.appUrl ?? `http://localhost:${port}`;
    }
    const resolved = { ...config, appUrl };
    // One connection listens for every process: which stores' tokens changed, which storefront answers went stale.
    const subscriber = createRedis(redisUrl, 'worker', 'backorder-subscriber');
    closers.push({ name: 'subscriber redis', close: () => subscriber.quit() });
    // The one door to BigCommerce, for the web app and the workers alike.
    const gateway = (options.gateway ?? createBigCommerceGateway)({
      config: resolved,
      redis,
      subscriber,
      logger,
      accessTokenFor: (storeHash) => accessTokenFor(database.db, configuredKeyring(config), storeHash),
    });

    if (options.workers !== false) {
      const workerConnection = createRedis(redisUrl, 'worker');
      closers.push({ name: 'worker redis', close: () => workerConnection.quit() });
      const workers = await startWorkers(
        {
          config: resolved,
          db: database.db,
          connection: workerConnection,
          redis,
          prefix: config.queuePrefix,
          queues,
          lock: keyedLock(database),
          gateway,
          effects: stockEffects({ sellingQueue: queues.selling, levelsQueue: queues.levels, redis, prefix: config.queuePrefix, logger }),
          logger,
        },
        options.storeJobs,
        options.scheduleCheckMs,
      );
      closers.push({ name: 'workers', close: () => workers.close() });
      logger.info('workers started');
      if (options.web === false && config.metricsPort !== undefined) {
        // A worker's probes beside its metrics: /livez for its liveness, /healthz naming PostgreSQL and Redis.
        const throttle = operatorThrottle({ redis, prefix: config.queuePrefix, logger });
        const metricsServer = createServer(
          express()
            .use(healthRoutes({ database, redis, detailed: probeDetails(config, throttle) }))
            .use(metricsRoutes({ token: config.operatorToken, throttle })),
        );
        await listen(metricsServer, config.metricsPort);
        closers.push({ name: 'metrics server', close: () => closeServer(metricsServer) });
        logger.info({ port: (metricsServer.address() as AddressInfo).port }, 'metrics served at /metrics, probes at /livez and /healthz');
      }
    }

    if (options.web !== false) {
      // Requests get a connection of their own, with deadlines: a frozen Redis must not hold them.
      const requestRedis = createRedis(redisUrl, 'request');
      closers.push({ name: 'request redis', close: () => requestRedis.quit().catch(() => requestRedis.disconnect()) });
      await waitUntilReady(requestRedis, redisUrl);
      const requestQueues = createQueues(requestRedis, config.queuePrefix, logger);
      closers.push({ name: 'request queues', close: () => requestQueues.close() });
      const availabilityCache = await createAvailabilityCache({ redis: requestRedis, subscriber, prefix: config.queuePrefix });
      closers.push({ name: 'storefront cache', close: () => availabilityCache.close() });
      handler = createApp({ config: resolved, logger, database, redis: requestRedis, queues: requestQueues, gateway, availabilityCache });
      logger.info({ url: appUrl }, 'http server listening');
    }

    return { url: appUrl, port, config: resolved, logger, database, redis, queues, gateway, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use: stop what uses it or set PORT to another port`) : error);
    server.once('error', onError);
    server.listen(port, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Stops accepting connections and closes the idle ones; requests in flight (an export, an upload) have until
 * just before the step's time is up to be answered, then their connections are cut.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), STEP_TIMEOUT_MS - 1_000);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
