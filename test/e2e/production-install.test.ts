/**
 * A production install as an operator (or the image) makes it: the repository's files as a clone has them,
 * then the image's build steps (`scripts/image-build.sh`, which the Dockerfile runs: `npm ci --omit=dev`,
 * which builds the storefront bundle), then the deploy's `npm run migrate` (two at once, as several
 * processes may start together), then `npm run web` and `npm run worker` with production's configuration
 * against the tests' PostgreSQL and Redis, each from the bundle the image built (dist/server, no tsx). No devDependency is installed — not the sandbox store's
 * packages, not the test tools — and `npm run` installs nothing more. SIGTERM drains and ends both.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.ts';
import { createLogger } from '../../server/logger.ts';
import { createRedis, type Redis } from '../../server/redis.ts';
import { createQueues, type Queues } from '../../server/workers/queues.ts';
import { sql } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { openDatabase } from '../../server/db/database.ts';
import { MIGRATIONS_DIR } from '../../server/db/migrate.ts';
import { queueStoreJob } from '../../server/jobs/jobs.service.ts';
import { STORE_JOB_NODE_FLAGS } from '../../server/workers/store-jobs.worker.ts';
import { finishedJob } from '../helpers/admin.ts';
import { TEST_OPERATOR_TOKEN } from '../helpers/config.ts';
import { metric, parseMetrics } from '../helpers/metrics.ts';
import { createEmptyDatabase } from '../helpers/database.ts';
import { childrenOf, newcomerEnv, productionEnv, ROOT, spawnCommand, stopGroup, waitForHealthy, type Spawned } from '../helpers/processes.ts';
import { eventually } from '../helpers/wait.ts';

/** Packages a production install must not carry: the sandbox's own, and the test tools. */
const DEV_ONLY = ['jquery', '@bigcommerce/stencil-utils', 'vitest', 'playwright-core', '@web/test-runner', 'fast-check'];

const install = mkdtempSync(path.join(os.tmpdir(), 'backorder-production-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let env: NodeJS.ProcessEnv;
let appUrl: string;
let web: Spawned | undefined;
let worker: Spawned | undefined;
let redis: Redis | undefined;
let queues: Queues | undefined;
let installOutput = '';
let metricsUrl: string;

/** The files a clone of the working tree would hold (committed or not, nothing git ignores): no node_modules, no build. */
function copyRepository(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(from, path.join(to, file));
  }
}

/** The command lines of the processes running one of the install's bundles (dist/server/<name>.js). */
function bundleProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-af', path.join(install, 'dist', 'server')], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Runs a command in the install folder to its end; resolves with its exit code and output. */
async function runThere(command: string, args: string[], runEnv: NodeJS.ProcessEnv): Promise<{ code: number | string; output: string }> {
  const spawned = spawnCommand(command, args, { cwd: install, env: runEnv });
  const code = await spawned.exited;
  return { code, output: spawned.output() };
}

beforeAll(async () => {
  copyRepository(install);
  // From npm's cache, as `npm test` has just installed the same packages; the network only for a miss.
  const started = Date.now();
  const result = await runThere('sh', ['scripts/image-build.sh'], newcomerEnv({ npm_config_prefer_offline: 'true' }));
  installOutput = result.output;
  if (result.code !== 0) throw new Error(`scripts/image-build.sh failed (${result.code}):\n${result.output}`);
  console.log(`figure production_install_s ${((Date.now() - started) / 1000).toFixed(1)}`);

  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  env = productionEnv(await createEmptyDatabase(), process.env.REDIS_URL!, { PORT: String(port), DATA_DIR: path.join(install, '.data') });
  metricsUrl = `http://127.0.0.1:${await freePort()}/metrics`;
  redis = createRedis(process.env.REDIS_URL!, 'producer', 'production-install');
  queues = createQueues(redis, env.QUEUE_PREFIX!, createLogger({ level: 'silent' }));
}, 300_000);

afterAll(async () => {
  await Promise.all([web && stopGroup(web), worker && stopGroup(worker)]);
  await queues?.close();
  redis?.disconnect();
  rmSync(install, { recursive: true, force: true });
}, 60_000);

describe('a production install (scripts/image-build.sh: npm ci --omit=dev)', () => {
  it('when installed, then no devDependency is there and the storefront bundle is built', () => {
    expect(installOutput).toMatch(/image-build: production install ready/);
    for (const name of DEV_ONLY) expect(existsSync(path.join(install, 'node_modules', name)), `${name} is installed`).toBe(false);
    expect(existsSync(path.join(install, 'node_modules', 'express'))).toBe(true);
    expect(installOutput).toMatch(/storefront bundle built in storefront\/dist/);
    expect(existsSync(path.join(install, 'storefront', 'dist', 'loader.js'))).toBe(true);
    for (const name of ['web', 'worker', 'store-jobs.sandbox']) {
      expect(installOutput).toMatch(`built dist/server/${name}.js`);
      expect(existsSync(path.join(install, 'dist', 'server', `${name}.js`))).toBe(true);
    }
  });

  it('when two `npm run migrate` start at once on an empty database, then both succeed and each migration is applied once', async () => {
    const [first, second] = await Promise.all([runThere(npm, ['run', 'migrate'], env), runThere(npm, ['run', 'migrate'], env)]);
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
    // One applies them all under the advisory lock; the other, waiting on it, finds nothing left to do.
    expect([first.output, second.output].filter((output) => /applied: 0001_/.test(output))).toHaveLength(1);
    expect([first.output, second.output].filter((output) => /the schema is up to date/.test(output))).toHaveLength(1);
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL! });
    try {
      const { rows } = await sql`select name from schema_migrations`.execute(database.db);
      expect(rows.length).toBe(readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql')).length);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('when `npm run web` starts in production, then it runs from the image’s bundle, installs nothing more, /healthz and /readyz answer 200, its pages and the storefront bundle are served', async () => {
    web = spawnCommand(npm, ['run', 'web'], { cwd: install, env });
    await waitForHealthy(`${appUrl}/healthz`, web, 90_000);
    expect(await (await fetch(`${appUrl}/readyz`)).json()).toEqual({ status: 'ready', database: 'ok', redis: 'ok', migrations: 'ok' });
    expect(await (await fetch(`${appUrl}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'ok', redis: 'ok', engine: 'postgres' });
    const loader = await fetch(`${appUrl}/storefront/loader.js`);
    expect(loader.status).toBe(200);
    expect((await loader.text()).length).toBeGreaterThan(100);
    expect(web.output()).toMatch(/npm run web: serving/);
    expect(web.output()).not.toMatch(/installing npm packages/);
    // From the image's bundle, as built (not again), with its pages and the schema's migrations found from there.
    expect(web.output()).not.toMatch(/building dist/);
    expect(bundleProcesses()).toEqual([expect.stringMatching(/node \S*\/dist\/server\/web\.js$/)]);
    const home = await fetch(`${appUrl}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/<html/);
  }, 120_000);

  it('when `npm run worker` starts beside it, then it runs from its bundle too, its workers run the jobs queued, and store jobs in processes of its own', async () => {
    worker = spawnCommand(npm, ['run', 'worker'], { cwd: install, env: { ...env, METRICS_PORT: new URL(metricsUrl).port } });
    await eventually(() => expect(worker!.output()).toMatch(/npm run worker: workers running/), 90_000, 250).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${worker!.output()}`);
    });
    expect(worker.output()).not.toMatch(/installing npm packages/);
    expect(worker.output()).not.toMatch(/building dist/);
    expect(bundleProcesses().filter((line) => line.includes('worker.js'))).toEqual([expect.stringMatching(/node \S*\/dist\/server\/worker\.js$/)]);
    const job = await queues!.housekeeping.add('prune-signed-payloads', {});
    await eventually(async () => expect(await job.getState()).toBe('completed'), 30_000, 100);
    expect((await queues!.housekeeping.getJob(job.id!))?.returnvalue).toEqual({ deleted: 0 });
    // A store job runs in a process of the worker's own, from its bundle, with the store jobs' V8 settings.
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL! });
    try {
      await database.db.insertInto('stores').values({ store_hash: 'prodjobs1', access_token_ciphertext: null }).execute();
      await queueStoreJob(database.db, queues!.storeJobs, 'prodjobs1', 'import', 'Waiting to read the files');
      const run = await finishedJob(database.db, 'prodjobs1', 'import', 60_000);
      expect(run).toMatchObject({ status: 'succeeded', error: null });
    } finally {
      await database.close();
    }
    const workerPid = bundleProcesses()
      .find((line) => line.includes('worker.js'))!
      .split(' ')[0]!;
    expect(childrenOf(Number(workerPid)).map((child) => child.args)).toEqual([
      expect.stringMatching(new RegExp(`node ${STORE_JOB_NODE_FLAGS.join(' ')} \\S*/bullmq/dist/\\w+/classes/main\\.js`)),
    ]);
    // The worker serves its own metrics (METRICS_PORT), behind the operator token.
    expect((await fetch(metricsUrl)).status).toBe(401);
    const scraped = parseMetrics(await (await fetch(metricsUrl, { headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` } })).text());
    expect(metric(scraped, 'backorder_job_duration_seconds_count', { queue: 'housekeeping', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    // And its probes, open like the web's.
    const probe = (path: string) => new URL(path, metricsUrl).toString();
    expect(await (await fetch(probe('/livez'))).json()).toEqual({ status: 'alive' });
    expect(await (await fetch(probe('/healthz'))).json()).toMatchObject({ status: 'ok', database: 'ok', redis: 'ok', engine: 'postgres' });
  }, 120_000);

  it('when web and worker get SIGTERM, then they drain, close everything cleanly and end', async () => {
    await Promise.all([stopGroup(web!), stopGroup(worker!)]);
    for (const spawned of [web!, worker!]) {
      // npm, which got the signal too, ends by it once its program has exited 0.
      expect([0, 'SIGTERM']).toContain(await spawned.exited);
      expect(spawned.output()).toMatch(/SIGTERM received: stopping \.\.\.\nstopped\n/);
      expect(spawned.output()).not.toMatch(/did not finish cleanly|took too long/);
    }
  }, 60_000);

  it('when compose.yaml deploys it, then every service names an image, the app services the one image built by the Dockerfile, whose only step is the script', () => {
    const compose = parseYaml(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { image?: string; build?: string; command?: string[]; environment?: Record<string, string> }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['migrate', 'postgres', 'redis', 'web', 'worker']);
    for (const [name, service] of Object.entries(compose.services)) expect(service.image, name).toMatch(/^[a-z0-9/-]+:[\w.-]+$/);
    for (const name of ['migrate', 'web', 'worker']) {
      // node itself, not npm: npm's shell does not pass SIGTERM on (test/server/foundation/signals.test.ts).
      expect(compose.services[name]).toMatchObject({ image: 'backorder:latest', build: '.', command: ['node', 'scripts/run.mjs', name] });
      expect(compose.services[name]!.environment).toMatchObject({ NODE_ENV: 'production', MIGRATE_ON_START: 'false' });
    }
    for (const name of ['postgres', 'redis']) expect(compose.services[name]!.build, name).toBeUndefined();
    const steps = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
      .split('\n')
      .filter((line) => /^RUN /.test(line));
    expect(steps).toEqual(['RUN sh scripts/image-build.sh']);
  });

  it('when a development command runs in that install, then it installs the devDependencies (the sandbox’s packages among them)', async () => {
    await Promise.all([web && stopGroup(web), worker && stopGroup(worker)]);
    // Any command outside production would do (npm start among them); this one needs no services.
    const result = await runThere(process.execPath, ['scripts/run.mjs', 'build-storefront'], newcomerEnv({}));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/installing npm packages \(npm ci --include=dev\)/);
    for (const name of DEV_ONLY) expect(existsSync(path.join(install, 'node_modules', name)), `${name} is installed`).toBe(true);
  }, 240_000);
});
