/**
 * createApp(deps): the app's request listener (BigCommerce's webhook deliveries, then the Express app)
 * without listen(), so tests can boot it on port 0 with their own database, Redis and configuration.
 */
import path from 'node:path';
import type { RequestListener } from 'node:http';
import express from 'express';
import { engine } from 'express-handlebars';
import { adminRouter } from './admin.router.ts';
import { queueCheckoutPoll } from './plans/billing.jobs.ts';
import { viewHelpers } from './admin/view-helpers.ts';
import { lifecycleRoutes } from './app-lifecycle/lifecycle.routes.ts';
import type { BigCommerceGateway } from './bigcommerce/index.ts';
import { ConfigError, type Config } from './config.ts';
import type { Database } from './db/database.ts';
import { healthRoutes, probeDetails } from './health/health.routes.ts';
import { metricsRoutes } from './operator/metrics.routes.ts';
import { operatorRoutes } from './operator/operator.routes.ts';
import { requestMetrics } from './http/request-metrics.ts';
import { deriveSessionKeys } from './http/admin-session.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { operatorThrottle } from './http/operator-throttle.ts';
import { createFlashStore } from './http/flash.ts';
import { requestLogging } from './http/request-logging.ts';
import { crossOriginReadable, securityHeaders } from './http/security-headers.ts';
import type { Logger } from './logger.ts';
import type { Redis } from './redis.ts';
import { deliveryVerifier } from './webhooks/delivery-verifier.ts';
import { webhookRoute } from './webhooks/webhooks.routes.ts';
import type { AvailabilityCache } from './storefront-api/availability-cache.ts';
import { storefrontApiRoutes } from './storefront-api/availability.routes.ts';
import { queueList, type Queues } from './workers/queues.ts';
import { STOREFRONT_DIST_DIR } from './registration/storefront-bundle.ts';
import { ROOT_DIR } from './root.ts';
import { stockEffects } from './wiring.ts';

export const ADMIN_DIR = path.join(ROOT_DIR, 'admin');

export interface AppDeps {
  /** Configuration with `appUrl` resolved. */
  config: Config & { appUrl: string };
  logger: Logger;
  database: Database;
  /** The request connection (`createRedis(url, 'request')`): every command has a deadline. */
  redis: Redis;
  /** Queues on the request connection. */
  queues: Queues;
  /** The one door to BigCommerce, built once by `start()`. */
  gateway: BigCommerceGateway;
  /** The storefront answers' cache (needs its own subscribing Redis connection, made by `start`). */
  availabilityCache: AvailabilityCache;
}

export function createApp(deps: AppDeps): RequestListener {
  const { config, logger, redis } = deps;
  if (!config.clientSecret || !config.encryptionKey) {
    throw new ConfigError(['CLIENT_SECRET and ENCRYPTION_KEY: required to sign admin sessions and encrypt access tokens']);
  }
  const db = deps.database.db;
  const keys = deriveSessionKeys(config.clientSecret, config.encryptionKey);
  const flash = createFlashStore(redis, config.queuePrefix, logger);

  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer or HTTPS proxy, req.ip and req.protocol come from X-Forwarded-*: from as many
  // proxies as the operator says there are (every shopper would otherwise share one address's budget).
  app.set('trust proxy', config.trustProxy > 0 ? config.trustProxy : false);

  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(ADMIN_DIR, 'views', 'layouts'),
      partialsDir: path.join(ADMIN_DIR, 'views', 'partials'),
      helpers: viewHelpers,
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', path.join(ADMIN_DIR, 'views'));

  app.use(requestMetrics);
  // The public storefront API first, a machine-facing hot path, without the admin's middleware.
  app.use(storefrontApiRoutes({ db, cache: deps.availabilityCache, logger, redis, prefix: config.queuePrefix, perMinute: config.storefrontApiPerMinute }));
  app.use(requestLogging(deps.logger));
  // The operator's pages carry their own headers (bull-board's styles are not the admin's).
  // Wrong operator tokens are counted per client address, by the pages, /metrics and the probes alike.
  const throttle = operatorThrottle({ redis, prefix: config.queuePrefix, logger });
  app.use(metricsRoutes({ token: config.operatorToken, throttle }));
  app.use(operatorRoutes({ db, token: config.operatorToken, throttle, queues: queueList(deps.queues) }));
  app.use(securityHeaders({ secure: deps.config.appUrl.startsWith('https:'), extraFrameAncestors: config.extraFrameAncestors }));

  app.use(healthRoutes({ database: deps.database, redis: deps.redis, detailed: probeDetails(config, throttle) }));
  app.use('/admin/assets', express.static(path.join(ADMIN_DIR, 'assets'), { maxAge: '1h' }));
  app.use('/storefront', crossOriginReadable, express.static(STOREFRONT_DIST_DIR, { maxAge: '5m' }));

  app.get('/', (_req, res) => {
    res.render('pages/home', { title: 'backorder', appUrl: deps.config.appUrl });
  });
  const effects = stockEffects({ sellingQueue: deps.queues.selling, levelsQueue: deps.queues.levels, redis, prefix: config.queuePrefix, logger });
  app.use(
    lifecycleRoutes({
      db,
      config,
      gateway: deps.gateway,
      storeJobs: deps.queues.storeJobs,
      uninstallJobs: deps.queues.reconcile,
      logger,
      keys,
      flash,
      effects,
    }),
  );
  app.use(
    adminRouter({
      db,
      config,
      keys,
      flash,
      storeJobs: deps.queues.storeJobs,
      reconcile: deps.queues.reconcile,
      effects,
      logger,
      billing: deps.gateway.billing,
      pollCheckout: (storeHash, checkoutId) => queueCheckoutPoll(deps.queues.reconcile, storeHash, checkoutId),
    }),
  );

  app.use(notFound);
  app.use(errorHandler);

  // BigCommerce's deliveries are taken before Express sees them (the receiver logs its own failures).
  const webhooks = webhookRoute({
    db,
    queue: deps.queues.webhooks,
    logger,
    trustProxy: config.mode === 'production',
    verify: deliveryVerifier({
      db,
      keyring: { current: config.encryptionKey, previous: config.previousEncryptionKey },
      clientSecret: config.clientSecret,
      signatures: config.webhookSignatures,
      logger,
    }),
  });
  return (req, res) => webhooks(req, res, () => void app(req, res));
}
