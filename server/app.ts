/**
 * createApp(deps): the Express app without listen(), so tests can boot it on port 0 with their own
 * database, Redis and configuration.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { engine } from 'express-handlebars';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { healthRoutes } from './health/health.routes.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { requestLogging } from './http/request-logging.ts';
import { crossOriginReadable, securityHeaders } from './http/security-headers.ts';
import type { Logger } from './logger.ts';
import type { Redis } from './redis.ts';
import type { Queues } from './workers/queues.ts';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ADMIN_DIR = path.join(ROOT_DIR, 'admin');
export const STOREFRONT_DIST_DIR = path.join(ROOT_DIR, 'storefront', 'dist');

export interface AppDeps {
  /** Configuration with `appUrl` resolved. */
  config: Config & { appUrl: string };
  logger: Logger;
  database: Database;
  /** The producer connection: fails fast when Redis is away. */
  redis: Redis;
  queues: Queues;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer or HTTPS proxy, req.ip and req.protocol come from X-Forwarded-*.
  app.set('trust proxy', deps.config.mode === 'production' ? 1 : false);

  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(ADMIN_DIR, 'views', 'layouts'),
      partialsDir: path.join(ADMIN_DIR, 'views', 'partials'),
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', path.join(ADMIN_DIR, 'views'));

  app.use(requestLogging(deps.logger));
  app.use(securityHeaders({ secure: deps.config.appUrl.startsWith('https:') }));

  app.use(healthRoutes({ database: deps.database, redis: deps.redis }));
  app.use('/admin/assets', express.static(path.join(ADMIN_DIR, 'assets'), { maxAge: '1h' }));
  app.use('/storefront', crossOriginReadable, express.static(STOREFRONT_DIST_DIR, { maxAge: '5m' }));

  app.get('/', (_req, res) => {
    res.render('pages/home', { title: 'backorder', appUrl: deps.config.appUrl });
  });

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
