/**
 * `/readyz` keeps a web process out of traffic until it can serve: the schema migrated (by the deploy's
 * `npm run migrate`, when MIGRATE_ON_START=false) and PostgreSQL answering. `/healthz` reports the dependencies.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { createLogger } from '../../../server/logger.ts';
import { start } from '../../../server/main.ts';
import { testConfig } from '../../helpers/config.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';

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
