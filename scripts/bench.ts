/**
 * `npm run bench [-- <prefix>]`: runs every bench/*.bench.ts (or those whose name starts with the
 * prefix), each within its own bound and all within 15 minutes, printing `figure <name> <value>` lines.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchContext } from '../bench/lib.ts';
import { buildStorefront } from './lib/build-storefront.ts';
import { ROOT } from './lib/process.ts';
import { startPostgresServer, type PostgresServer } from './lib/postgres-server.ts';
import { startRedisServer, type RedisServer } from './lib/redis-server.ts';
import { ensureSystemTools, postgresServer, redisServer } from './lib/system.ts';

const TOTAL_BOUND_MS = 15 * 60_000;

async function main(): Promise<number> {
  const prefix = process.argv[2] ?? '';
  const benchDir = path.join(ROOT, 'bench');
  const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts') && f.startsWith(prefix)).sort();
  if (files.length === 0) {
    console.error(`no benchmark in bench/ starts with "${prefix}"`);
    return 2;
  }
  await buildStorefront(ROOT);
  const deadline = Date.now() + TOTAL_BOUND_MS;
  const scratch = mkdtempSync(path.join(tmpdir(), 'backorder-bench-'));
  let started: { postgres: PostgresServer; redis: RedisServer } | undefined;
  const context: BenchContext = {
    figure: (name, value) => console.log(`figure ${name} ${value}`),
    remainingMs: () => deadline - Date.now(),
    async services() {
      if (!started) {
        const [pgBin, redisBinary] = ensureSystemTools([postgresServer, redisServer]);
        started = {
          postgres: await startPostgresServer({ binDir: pgBin! }),
          redis: await startRedisServer({ binary: redisBinary!, dir: path.join(scratch, 'redis') }),
        };
      }
      return { databaseUrl: started.postgres.url, redisUrl: started.redis.url };
    },
  };

  let failures = 0;
  try {
    for (const file of files) {
      const benchmark = (await import(pathToFileURL(path.join(benchDir, file)).href)).default as Benchmark;
      const bound = Math.min(benchmark.timeoutMs, context.remainingMs());
      if (bound <= 0) {
        console.error(`skipped ${benchmark.name}: the 15-minute bound is used up`);
        failures++;
        continue;
      }
      console.error(`running ${benchmark.name} (at most ${Math.round(bound / 1000)} s) ...`);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          benchmark.run(context),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`exceeded ${bound} ms`)), bound))),
        ]);
      } catch (error) {
        failures++;
        console.error(`${benchmark.name} failed: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    if (started) await Promise.allSettled([started.postgres.stop(), started.redis.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
