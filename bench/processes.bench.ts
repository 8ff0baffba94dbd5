/**
 * What production's processes cost before any work: `npm run web` and `npm run worker` with production's
 * configuration against an empty, migrated database, each alone.
 * process.<web|worker>.rss_mb: resident memory (MB) 3 s after it says it runs, started as production starts
 * it — from its bundle (scripts/lib/server-build.mjs); process.<web|worker>.ready_s: from
 * spawn to that line. process.<web|worker>.tsx_rss_mb and .tsx_ready_s: the same program through tsx, as
 * every other command runs (and as production ran it before the bundles).
 * process.store_jobs.rss_mb: a store-jobs process of the bundled worker's (server/workers/store-jobs.worker.ts),
 * 3 s after the first store job it ran (an import with no file waiting) ended. The worker keeps it, and a
 * second once two store jobs have run at once, for the jobs to come.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../scripts/lib/free-port.ts';
import { ROOT } from '../scripts/lib/process.ts';
import { ensureCommandBundle } from '../scripts/lib/server-build.mjs';
import { migrate } from '../server/db/migrate.ts';
import { openDatabase } from '../server/db/database.ts';
import { queueStoreJob } from '../server/jobs/jobs.service.ts';
import { createLogger } from '../server/logger.ts';
import { createRedis } from '../server/redis.ts';
import { createQueues } from '../server/workers/queues.ts';
import { finishedJob } from '../test/helpers/admin.ts';
import { childrenOf, productionEnv, spawnNode, type Spawned } from '../test/helpers/processes.ts';
import { freshDatabaseUrl } from './helpers.ts';
import { round, type Benchmark } from './lib.ts';

const RUNNING = { web: /npm run web: serving/, worker: /npm run worker: workers running/ };

const residentMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** The resident MB of the store-jobs process the worker `workerPid` starts for a store job, once the job ended. */
async function storeJobsProcessMb(databaseUrl: string, redisUrl: string, env: NodeJS.ProcessEnv, workerPid: number): Promise<number> {
  const database = await openDatabase({ databaseUrl });
  const redis = createRedis(redisUrl, 'producer', 'bench-processes');
  const queues = createQueues(redis, env.QUEUE_PREFIX!, createLogger({ level: 'warn' }));
  try {
    await database.db
      .insertInto('stores')
      .values({ store_hash: 'benchjobs', access_token_ciphertext: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await queueStoreJob(database.db, queues.storeJobs, 'benchjobs', 'import', 'Waiting to read the files');
    const run = await finishedJob(database.db, 'benchjobs', 'import', 60_000);
    if (run.status !== 'succeeded') throw new Error(`the store job failed: ${run.error}`);
    await sleep(3_000);
    const [child] = childrenOf(workerPid);
    if (!child) throw new Error('the worker ran the store job without a store-jobs process');
    return residentMb(child.pid);
  } finally {
    await queues.close();
    redis.disconnect();
    await database.close();
  }
}

/**
 * Starts one program with `args`, waits until it says it runs and 3 s more; its seconds to ready and resident
 * MB, and what `then` measures of it while it runs.
 */
async function measure<T>(
  name: 'web' | 'worker',
  args: string[],
  env: NodeJS.ProcessEnv,
  then?: (pid: number) => Promise<T>,
): Promise<{ readyS: number; rssMb: number; then?: T }> {
  const started = performance.now();
  const spawned: Spawned = spawnNode(args, { ...env, PORT: String(await freePort()) });
  try {
    while (!RUNNING[name].test(spawned.output())) {
      if (performance.now() - started > 60_000) throw new Error(`${name} did not start:\n${spawned.output()}`);
      await sleep(50);
    }
    const readyS = (performance.now() - started) / 1000;
    await sleep(3_000);
    const rssMb = residentMb(spawned.child.pid!);
    return { readyS, rssMb, ...(then ? { then: await then(spawned.child.pid!) } : {}) };
  } finally {
    spawned.child.kill('SIGTERM');
    await spawned.exited;
  }
}

const benchmark: Benchmark = {
  name: 'processes',
  timeoutMs: 5 * 60_000,
  async run({ figure, services }) {
    const { databaseUrl: adminUrl, redisUrl } = await services();
    const databaseUrl = await freshDatabaseUrl(adminUrl);
    const database = await openDatabase({ databaseUrl });
    await migrate(database.db).finally(() => database.close());
    const env = productionEnv(databaseUrl, redisUrl);
    for (const name of ['web', 'worker'] as const) {
      const file = await ensureCommandBundle(ROOT, name, { log: () => undefined });
      const storeJobs = name === 'worker' ? (pid: number) => storeJobsProcessMb(databaseUrl, redisUrl, env, pid) : undefined;
      const bundled = await measure(name, [file], env, storeJobs);
      figure(`process.${name}.rss_mb`, Math.round(bundled.rssMb));
      figure(`process.${name}.ready_s`, round(bundled.readyS, 1));
      if (bundled.then !== undefined) figure('process.store_jobs.rss_mb', Math.round(bundled.then));
      const throughTsx = await measure(name, ['--import', 'tsx', path.join(ROOT, 'scripts', `${name}.ts`)], env);
      figure(`process.${name}.tsx_rss_mb`, Math.round(throughTsx.rssMb));
      figure(`process.${name}.tsx_ready_s`, round(throughTsx.readyS, 1));
    }
  },
};

export default benchmark;
