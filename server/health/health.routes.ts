/**
 * `/healthz`: 200 when the database and Redis both answer, 503 naming what does not and why (Redis on the
 * request connection: refused at once while it is known not to answer).
 */
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { pingRedis, type Redis } from '../redis.ts';
import { withTimeout } from '../with-timeout.ts';

const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<unknown>): Promise<'ok' | string> {
  try {
    await withTimeout(probe(), CHECK_TIMEOUT_MS, 'timed out');
    return 'ok';
  } catch (error) {
    return `down: ${(error as Error).message}`;
  }
}

export function healthRoutes(deps: { database: Database; redis: Redis }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [database, redis] = await Promise.all([check(() => deps.database.ping()), check(() => pingRedis(deps.redis))]);
    const healthy = database === 'ok' && redis === 'ok';
    res
      .status(healthy ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: healthy ? 'ok' : 'unavailable', database, redis, engine: deps.database.engine });
  });
  return router;
}
