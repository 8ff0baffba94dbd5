/**
 * Runs a folder of measurement modules — `bench/*.bench.ts` for `npm run bench`, `soak/*.soak.ts` for
 * `npm run soak` — each within its own bound and all within the run's, printing `figure <name> <value>`
 * lines. Chromium is installed when missing (the storefront figures drive it); PostgreSQL and Redis are started on first use and stopped at the end (or on Ctrl-C); a module
 * that throws or overruns its bound counts as failed, and the run's exit code says whether any did.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildStorefront } from './build-storefront.ts';
import type { PostgresServer } from './postgres-server.ts';
import { ROOT } from './process.ts';
import { chromium, ensureSystemTools } from './system.ts';
import type { RedisServer } from './redis-server.ts';
import { throwawayServices, type ServicePair } from './throwaway-services.ts';

/** What a measurement module is given. */
export interface BenchContext {
  /** Prints `figure <name> <value>`; the unit belongs in the name (start.cold_s). */
  figure(name: string, value: number): void;
  /** PostgreSQL and Redis started for this run (once, on first use). */
  services(): Promise<{ databaseUrl: string; redisUrl: string }>;
  /** A PostgreSQL and a Redis of the caller's own, to halt, freeze or kill; stopped at the end of the run. */
  ownServices(): Promise<{ postgres: PostgresServer; redis: RedisServer }>;
  /** Milliseconds left before the run's overall bound. */
  remainingMs(): number;
}

/** A measurement module: what each bench/*.bench.ts and soak/*.soak.ts default-exports. */
export interface Benchmark {
  name: string;
  /** An upper bound for this benchmark alone; the runner stops waiting after it. */
  timeoutMs: number;
  run(context: BenchContext): Promise<void>;
}

export interface FigureRun {
  /** The folder below the repository root, and how its modules' file names end. */
  folder: string;
  suffix: string;
  /** Only modules whose file name starts with this. */
  prefix: string;
  totalBoundMs: number;
}

/** Runs the modules; resolves with the exit code (0: every module finished, 1: one failed, 2: none matched). */
export async function runFigureModules(run: FigureRun): Promise<number> {
  const dir = path.join(ROOT, run.folder);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(run.suffix) && f.startsWith(run.prefix))
    .sort();
  if (files.length === 0) {
    console.error(`nothing in ${run.folder}/ starts with "${run.prefix}"`);
    return 2;
  }
  const bound = `${Math.round(run.totalBoundMs / 60_000)}-minute bound`;
  await buildStorefront(ROOT);
  // The storefront figures drive Chromium: installed here, as npm test installs it, so a fresh machine runs them.
  const [chromiumPath] = ensureSystemTools([chromium]);
  process.env.CHROMIUM_PATH ??= chromiumPath;
  const deadline = Date.now() + run.totalBoundMs;
  // Figures are taken against a PostgreSQL that commits as production's does (postgres-server.ts).
  const services = throwawayServices(run.folder, { durable: true });
  let shared: Promise<ServicePair> | undefined;
  const context: BenchContext = {
    figure: (name, value) => console.log(`figure ${name} ${value}`),
    remainingMs: () => deadline - Date.now(),
    async services() {
      const { postgres, redis } = await (shared ??= services.start());
      return { databaseUrl: postgres.url, redisUrl: redis.url };
    },
    ownServices: () => services.start(),
  };

  let failures = 0;
  try {
    for (const file of files) {
      const module = (await import(pathToFileURL(path.join(dir, file)).href)).default as Benchmark;
      const moduleBound = Math.min(module.timeoutMs, context.remainingMs());
      if (moduleBound <= 0) {
        console.error(`skipped ${module.name}: the ${bound} is used up`);
        failures++;
        continue;
      }
      console.error(`running ${module.name} (at most ${Math.round(moduleBound / 1000)} s) ...`);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          module.run(context),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`exceeded ${moduleBound} ms`)), moduleBound))),
        ]);
      } catch (error) {
        failures++;
        console.error(`${module.name} failed: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    await services.stop();
  }
  return failures === 0 ? 0 : 1;
}
