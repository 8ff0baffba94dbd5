/** `/healthz`: 200 when the database and Redis both answer, 503 naming what does not. */
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import type { Redis } from '../redis.ts';

const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<unknown>): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS))),
    ]);
    return 'ok';
  } catch (error) {
    return `down: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: { database: Database; redis: Redis }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [database, redis] = await Promise.all([check(() => deps.database.ping()), check(() => deps.redis.ping())]);
    const healthy = database === 'ok' && redis === 'ok';
    res
      .status(healthy ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: healthy ? 'ok' : 'unavailable', database, redis, engine: deps.database.engine });
  });
  return router;
}
