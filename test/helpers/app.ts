/** Boots the whole app (HTTP on port 0, workers) on a fresh database, with its log lines kept for assertions. */
import { Writable } from 'node:stream';
import type { BigCommerceGateway, GatewayFactory } from '../../server/bigcommerce/index.ts';
import type { Config } from '../../server/config.ts';
import { keyedLock } from '../../server/db/keyed-lock.ts';
import { createLogger } from '../../server/logger.ts';
import type { StoreJobDeps } from '../../server/jobs/jobs.service.ts';
import { start, type Running } from '../../server/main.ts';
import type { StoreJobsPlace } from '../../server/workers/index.ts';
import { recordingEffects } from './inventory.ts';
import { testConfig } from './config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp extends Running {
  /** Every log line written so far, raw JSON. */
  logLines: string[];
  testDatabase: TestDatabase;
  stop(): Promise<void>;
}

export async function startTestApp(
  options: { config?: Partial<Config>; workers?: boolean; gateway?: GatewayFactory; storeJobs?: StoreJobsPlace } = {},
): Promise<TestApp> {
  const testDatabase = await createTestDatabase();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const config = testConfig({ databaseUrl: testDatabase.url, ...options.config });
  const logger = createLogger({ level: config.logLevel, destination });
  const running = await start({
    config,
    logger,
    workers: options.workers ?? true,
    ...(options.gateway ? { gateway: options.gateway } : {}),
    ...(options.storeJobs ? { storeJobs: options.storeJobs } : {}),
  });
  return {
    ...running,
    logLines,
    testDatabase,
    async stop() {
      await running.stop();
      await testDatabase.close();
    },
  };
}

/** What a store job (an import) runs with in a test: the app's database, config and logger, `gateway`, effects that only record. */
export function jobDeps(app: TestApp, gateway: BigCommerceGateway): StoreJobDeps {
  return { db: app.database.db, config: app.config, gateway, logger: app.logger, effects: recordingEffects().effects, lock: keyedLock(app.database) };
}
