/**
 * `/readyz` keeps a web process out of traffic until it can serve: the schema migrated (by the deploy's
 * `npm run migrate`, when MIGRATE_ON_START=false) and PostgreSQL answering. `/healthz` reports the dependencies.
 */
import express from 'express';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { healthRoutes, probeDetails } from '../../../server/health/health.routes.ts';
import { operatorThrottle } from '../../../server/http/operator-throttle.ts';
import { createRedis } from '../../../server/redis.ts';
import { listen } from '../../helpers/http.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { createLogger } from '../../../server/logger.ts';
import { start } from '../../../server/main.ts';
import { testConfig } from '../../helpers/config.ts';
import { createEmptyDatabase, createTestDatabase } from '../../helpers/database.ts';

describe('/readyz', () => {
  it('when the web process starts on a database not yet migrated, then /readyz answers 503 naming the pending migrations, and 200 once they are applied', async () => {
    const databaseUrl = await createEmptyDatabase();
    const app = await start({ config: testConfig({ databaseUrl, migrateOnStart: false }), logger: createLogger({ level: 'silent' }), workers: false });
    const migrator = await openDatabase({ databaseUrl });
    try {
      const before = await fetch(`${app.url}/readyz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toMatchObject({
        status: 'unavailable',
        database: 'ok',
        redis: 'ok',
        migrations: expect.stringMatching(/^\d+ migrations pending \(0001_\w+\.sql … 0\d+_\w+\.sql\): run npm run migrate$/),
      });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

      expect((await migrate(migrator.db)).length).toBeGreaterThan(0);
      const after = await fetch(`${app.url}/readyz`);
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ status: 'ready', database: 'ok', redis: 'ok', migrations: 'ok' });
    } finally {
      await app.stop();
      await migrator.close();
    }
  });
});

describe('what the probes tell', () => {
  it('when a dependency is down in production, then anyone reads only that it is down, and the operator (the token) reads why', async () => {
    const database = await createTestDatabase();
    const refused: Database = { ...database, ping: async () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:5432')) };
    const redis = createRedis('redis://127.0.0.1:1', 'request');
    // Wrong tokens are counted in Redis; this one is away, so the process counts alone and the operator is still told.
    const throttle = operatorThrottle({ redis, prefix: 'probes', logger: createLogger({ level: 'silent' }) });
    const detailed = probeDetails({ mode: 'production', operatorToken: 'operator-token-of-24-characters' }, throttle);
    const server = await listen(express().use(healthRoutes({ database: refused, redis, detailed })));
    try {
      const anyone = await fetch(`${server.url}/healthz`);
      expect(anyone.status).toBe(503);
      expect(await anyone.json()).toEqual({ status: 'unavailable', database: 'down', redis: 'down', engine: database.engine });
      expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({ database: 'down', redis: 'down' });

      const operator = await fetch(`${server.url}/healthz`, { headers: { Authorization: 'Bearer operator-token-of-24-characters' } });
      expect(await operator.json()).toMatchObject({ database: 'down: connect ECONNREFUSED 10.1.2.3:5432', redis: expect.stringMatching(/^down: not /) });
      // Outside production, everyone is told why: the developer at `npm start`.
      expect(await probeDetails({ mode: 'development', operatorToken: undefined }, throttle)({ headers: {} } as express.Request)).toBe(true);
    } finally {
      await server.close();
      redis.disconnect();
      await database.close();
    }
  });
});
