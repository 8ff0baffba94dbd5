/**
 * The probes an operator points at a web process:
 * - `/livez` (alive): 200 whenever the process answers. Restarting mends a stuck process, never a database or
 *   Redis that is away, so liveness asks neither: a restart loop during their outage would only take the web
 *   tier down with them.
 * - `/readyz` (ready for traffic): 200 once the schema is migrated and PostgreSQL answers — a web process
 *   started before `npm run migrate` has run is kept out of the load balancer until it has. Redis away leaves
 *   it ready, `degraded`: webhook deliveries are still recorded and acknowledged, the storefront API answers
 *   from PostgreSQL and admin pages render (README, "Faults").
 * - `/healthz` (for monitoring): 200 when PostgreSQL and Redis both answer, 503 naming what does not and why
 *   (Redis on the request connection: refused at once while it is known not to answer).
 * The probes answer anyone, so in production why a dependency is down (an error naming internal hosts and
 * addresses) and which migrations are pending are told only to a request carrying the operator token: the
 * others read `down` and `pending`. A wrong token counts against the client's address as on the operator
 * pages, and an address refused there is told no more than anyone (the probe still answers it): otherwise
 * the probe would be a door to guess the token through, unthrottled.
 */
import { Router, type Request } from 'express';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { operatorCheck } from '../http/operator-auth.ts';
import type { OperatorThrottle } from '../http/operator-throttle.ts';
import { describePending, pendingMigrations } from '../db/migrate.ts';
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

/** 'ok' once every migration is applied (remembered: migrations are never undone), else what is pending. */
function migrationCheck(database: Database): () => Promise<'ok' | string> {
  let migrated = false;
  return async () => {
    if (migrated) return 'ok';
    const result = await check(async () => {
      const pending = await pendingMigrations(database.db);
      const described = describePending(pending);
      if (described) throw new Error(`${described}: run npm run migrate`);
    });
    migrated = result === 'ok';
    return result.replace(/^down: /, '');
  };
}

/** Who reads why a probe failed: everyone outside production; there, the operator (the token). */
export function probeDetails(config: Pick<Config, 'mode' | 'operatorToken'>, throttle: OperatorThrottle): (req: Request) => Promise<boolean> {
  if (config.mode !== 'production') return async () => true;
  const check = operatorCheck(config.operatorToken, throttle);
  return async (req) => (await check(req)).ok;
}

/** Checks' outcomes as a request may read them: whole, or only whether each is ok. */
const toldTo = (detailed: boolean) => (outcome: string, word: string) => (detailed || outcome === 'ok' ? outcome : word);

export function healthRoutes(deps: { database: Database; redis: Redis; detailed: (req: Request) => Promise<boolean> }): Router {
  const router = Router();
  const migrationsApplied = migrationCheck(deps.database);
  const migrations = async (detailed: boolean) => toldTo(detailed)(await migrationsApplied(), 'pending');
  const dependencies = async (detailed: boolean) => {
    const told = toldTo(detailed);
    const outcomes = await Promise.all([check(() => deps.database.ping()), check(() => pingRedis(deps.redis))]);
    return outcomes.map((outcome) => told(outcome, 'down'));
  };
  router.get('/livez', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'alive' });
  });
  router.get('/readyz', async (req, res) => {
    const detailed = await deps.detailed(req);
    const [[database, redis], schema] = await Promise.all([dependencies(detailed), migrations(detailed)]);
    const ready = database === 'ok' && schema === 'ok';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? (redis === 'ok' ? 'ready' : 'degraded') : 'unavailable', database, redis, migrations: schema });
  });
  router.get('/healthz', async (req, res) => {
    const [database, redis] = await dependencies(await deps.detailed(req));
    const healthy = database === 'ok' && redis === 'ok';
    res
      .status(healthy ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: healthy ? 'ok' : 'unavailable', database, redis, engine: deps.database.engine });
  });
  return router;
}
