/**
 * start.cold_s: `npm start` on a fresh data folder until /healthz answers (PGlite created and migrated,
 * redis-server started, secrets generated). start.warm_s: the same folder started again.
 * Median of three runs each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../scripts/lib/free-port.ts';
import { newcomerEnv, spawnNode, waitForHealthy } from '../test/helpers/processes.ts';
import { median, round, type Benchmark } from './lib.ts';

async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const startedAt = performance.now();
  const spawned = spawnNode(['scripts/run.mjs', 'start'], newcomerEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }));
  await waitForHealthy(`http://localhost:${port}/healthz`, spawned, 120_000);
  const seconds = (performance.now() - startedAt) / 1000;
  spawned.child.kill('SIGINT');
  await spawned.exited;
  return seconds;
}

const benchmark: Benchmark = {
  name: 'start',
  timeoutMs: 5 * 60_000,
  async run({ figure }) {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let run = 0; run < 3; run++) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'backorder-bench-start-'));
      try {
        cold.push(await timeStart(dataDir));
        warm.push(await timeStart(dataDir));
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }
    figure('start.cold_s', round(median(cold), 1));
    figure('start.warm_s', round(median(warm), 1));
  },
};

export default benchmark;
