/**
 * What production's processes cost before any work: `npm run web` and `npm run worker` with production's
 * configuration against an empty, migrated database, each alone.
 * process.<web|worker>.rss_mb: resident memory (MB) 3 s after it says it runs, started as production starts
 * it — from its bundle (scripts/lib/server-build.mjs); process.<web|worker>.ready_s: from
 * spawn to that line. process.<web|worker>.tsx_rss_mb and .tsx_ready_s: the same program through tsx, as
 * every other command runs (and as production ran it before the bundles).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../scripts/lib/free-port.ts';
import { ROOT } from '../scripts/lib/process.ts';
import { ensureBundle } from '../scripts/lib/server-build.mjs';
import { migrate } from '../server/db/migrate.ts';
import { openDatabase } from '../server/db/database.ts';
import { productionEnv, spawnNode, type Spawned } from '../test/helpers/processes.ts';
import { freshDatabaseUrl } from './helpers.ts';
import { round, type Benchmark } from './lib.ts';

const RUNNING = { web: /npm run web: serving/, worker: /npm run worker: workers running/ };

const residentMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Starts one program with `args`, waits until it says it runs and 3 s more; its seconds to ready and resident MB. */
async function measure(name: 'web' | 'worker', args: string[], env: NodeJS.ProcessEnv): Promise<{ readyS: number; rssMb: number }> {
  const started = performance.now();
  const spawned: Spawned = spawnNode(args, { ...env, PORT: String(await freePort()) });
  try {
    while (!RUNNING[name].test(spawned.output())) {
      if (performance.now() - started > 60_000) throw new Error(`${name} did not start:\n${spawned.output()}`);
      await sleep(50);
    }
    const readyS = (performance.now() - started) / 1000;
    await sleep(3_000);
    return { readyS, rssMb: residentMb(spawned.child.pid!) };
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
      const { file } = await ensureBundle(ROOT, `scripts/${name}.ts`, { log: () => undefined });
      const bundled = await measure(name, [file], env);
      figure(`process.${name}.rss_mb`, Math.round(bundled.rssMb));
      figure(`process.${name}.ready_s`, round(bundled.readyS, 1));
      const throughTsx = await measure(name, ['--import', 'tsx', path.join(ROOT, 'scripts', `${name}.ts`)], env);
      figure(`process.${name}.tsx_rss_mb`, Math.round(throughTsx.rssMb));
      figure(`process.${name}.tsx_ready_s`, round(throughTsx.readyS, 1));
    }
  },
};

export default benchmark;
