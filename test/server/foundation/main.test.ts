import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger.ts';
import { start } from '../../../server/main.ts';
import { testConfig } from '../../helpers/config.ts';
import { createTestDatabase } from '../../helpers/database.ts';

async function sessionsOn(database: Awaited<ReturnType<typeof createTestDatabase>>): Promise<number> {
  const name = new URL(database.url).pathname.slice(1);
  const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stat_activity where datname = ${name}`.execute(database.db);
  return rows[0]!.n;
}

describe('start and stop', () => {
  it('when started on port 0 and stopped, then it served, and afterwards holds no port and no database session', async () => {
    const database = await createTestDatabase({ poolSize: 1 });
    try {
      const running = await start({ config: testConfig({ databaseUrl: database.url }), logger: createLogger({ level: 'silent' }) });
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      const before = await sessionsOn(database);
      await running.stop();

      await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
      // A closed connection's backend leaves pg_stat_activity as it exits, a moment after the client let go
      // (under a loaded machine, after the query below has already looked once).
      await expect.poll(() => sessionsOn(database), { timeout: 5_000 }).toBeLessThan(before);
      await expect.poll(() => sessionsOn(database), { timeout: 5_000 }).toBe(1); // only the test's own connection
    } finally {
      await database.close();
    }
  });

  it('when Redis cannot be reached, then start fails naming the URL and closes the database again', async () => {
    const database = await createTestDatabase({ poolSize: 1 });
    try {
      await expect(
        start({
          config: testConfig({ databaseUrl: database.url, redisUrl: 'redis://127.0.0.1:1' }),
          logger: createLogger({ level: 'silent' }),
        }),
      ).rejects.toMatchObject({ name: 'UnreachableError', message: expect.stringMatching(/^Redis at redis:\/\/127\.0\.0\.1:1 is not reachable/) });
      // As above: the closed connections' backends leave pg_stat_activity a moment after.
      await expect.poll(() => sessionsOn(database), { timeout: 5_000 }).toBe(1);
    } finally {
      await database.close();
    }
  }, 30_000);

  it('when PostgreSQL cannot be reached, then start fails naming DATABASE_URL, without its password, and opens nothing more', async () => {
    const started = start({
      config: testConfig({ databaseUrl: 'postgres://backorder:s3cret@127.0.0.1:1/backorder', redisUrl: 'redis://127.0.0.1:1' }),
      logger: createLogger({ level: 'silent' }),
    });
    await expect(started).rejects.toMatchObject({
      name: 'UnreachableError',
      message: expect.stringMatching(
        /^PostgreSQL at postgres:\/\/backorder:\*\*\*@127\.0\.0\.1:1\/backorder could not be used \(.*ECONNREFUSED.*\); check DATABASE_URL and that the server is running$/,
      ),
    });
  });

  it('when PostgreSQL answers but refuses the password, or has no such database, then start says which', async () => {
    const database = await createTestDatabase({ poolSize: 1 });
    try {
      const url = new URL(database.url);
      const attempt = (databaseUrl: string) => start({ config: testConfig({ databaseUrl }), logger: createLogger({ level: 'silent' }) });
      url.password = 'not-the-password';
      url.username = 'no_such_user';
      await expect(attempt(url.toString())).rejects.toThrow(/; PostgreSQL refused the user or password in DATABASE_URL$/);
      const missing = new URL(database.url);
      missing.pathname = '/no_such_database';
      await expect(attempt(missing.toString())).rejects.toThrow(/; the database DATABASE_URL names does not exist on that server/);
    } finally {
      await database.close();
    }
  });

  it('when Redis loses the recurring jobs’ schedules (restarted empty, flushed), then the workers schedule them again, and a check while all is well moves no run', async () => {
    const database = await createTestDatabase({ poolSize: 2 });
    const config = testConfig({ databaseUrl: database.url });
    const running = await start({ config, logger: createLogger({ level: 'silent' }), web: false, scheduleCheckMs: 200 });
    try {
      const schedules = async () =>
        Object.fromEntries((await running.queues.housekeeping.getJobSchedulers()).map((s) => [s.key, s.next])) as Record<string, number | undefined>;
      // Each scheduler's first run is at once; then its next is a period away.
      const started = Date.now();
      await expect.poll(async () => Object.values(await schedules()).filter((next) => next! > started + 20_000), { timeout: 5_000 }).toHaveLength(10);
      const before = await schedules();
      // Checks made while every schedule is there keep each next run where it was: the nightly reconcile is not put off.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await schedules()).toEqual(before);

      // Everything the housekeeping queue had in Redis, gone.
      const keys = await running.redis.keys(`${config.queuePrefix}:housekeeping:*`);
      expect(keys.length).toBeGreaterThan(0);
      await running.redis.del(...keys);
      expect(await schedules()).toEqual({});

      await expect.poll(async () => Object.keys(await schedules()).sort(), { timeout: 5_000, interval: 100 }).toEqual(Object.keys(before).sort());
      // And they run again: the webhook sweeper among them.
      await expect
        .poll(async () => (await running.queues.housekeeping.getJobs(['completed'])).some((job) => job.name === 'sweep-webhook-events'), { timeout: 5_000 })
        .toBe(true);
    } finally {
      await running.stop();
      await database.close();
    }
  });

  it('when two worker processes run against one Redis, checking the schedules all the while, then each recurring job runs once a period, not once per process', async () => {
    const database = await createTestDatabase({ poolSize: 2 });
    const config = testConfig({ databaseUrl: database.url });
    const workers = await Promise.all([1, 2].map(() => start({ config, logger: createLogger({ level: 'silent' }), web: false, scheduleCheckMs: 50 })));
    try {
      // Every period is 30 s or more: in 3 s each scheduler runs its first run, once.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const runs = await workers[0]!.queues.housekeeping.getJobs(['completed', 'failed', 'active', 'waiting']);
      const byName = new Map<string, number>();
      for (const job of runs) byName.set(job.name, (byName.get(job.name) ?? 0) + 1);
      expect(byName.size).toBe(10);
      expect([...byName.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await Promise.all(workers.map((running) => running.stop()));
      await database.close();
    }
  });

  it('when workers start, then the recurring housekeeping is scheduled once', async () => {
    const database = await createTestDatabase({ poolSize: 1 });
    const config = testConfig({ databaseUrl: database.url });
    const first = await start({ config, logger: createLogger({ level: 'silent' }) });
    await first.stop();
    const second = await start({ config, logger: createLogger({ level: 'silent' }) });
    try {
      const schedulers = await second.queues.housekeeping.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual([
        'poll-levels',
        'prune-signed-payloads',
        'prune-webhook-events',
        'purge-uninstalled-stores',
        'receive-incoming',
        'reconcile-stores',
        'sweep-selling',
        'sweep-store-jobs',
        'sweep-webhook-events',
        'sync-billing',
      ]);
    } finally {
      await second.stop();
      await database.close();
    }
  });
});
