/**
 * `npm test`: installs what is missing (PostgreSQL, redis-server, Chromium), builds the storefront, starts
 * a throwaway PostgreSQL and Redis on free loopback ports, runs every suite — lint (formatting, ESLint, the
 * import rules: scripts/lint.ts), types, server (vitest), storefront
 * components (@web/test-runner in Chromium), end-to-end (playwright-core in Chromium) — stops the
 * services and ends with the total as `N passed, N failed`.
 *
 * `npm test -- server` (or `storefront`, `e2e`) runs one suite; further arguments go to that runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildStorefront } from './lib/build-storefront.ts';
import { ROOT } from './lib/process.ts';
import { chromium, ensureSystemTools, postgresServer, redisServer } from './lib/system.ts';
import { throwawayServices } from './lib/throwaway-services.ts';

interface Counts {
  passed: number;
  failed: number;
}

interface Suite {
  name: 'lint' | 'types' | 'server' | 'storefront' | 'e2e';
  command: (resultFile: string, extra: string[]) => string[];
  read: (resultFile: string) => Counts;
}

const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

/** Vitest's JSON report; a file that failed to load counts as one failure. */
function readVitest(file: string): Counts {
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: Array<{ status: string; assertionResults: unknown[] }>;
  };
  const brokenFiles = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles };
}

function readCounts(file: string): Counts {
  return JSON.parse(readFileSync(file, 'utf8')) as Counts;
}

/** The type check runs both projects and records one result per project. */
const typeCheck = [
  'node',
  '-e',
  `const { spawnSync } = require('node:child_process');
   const projects = ['tsconfig.json', 'storefront/tsconfig.json'];
   let passed = 0, failed = 0;
   for (const project of projects) {
     const r = spawnSync('${bin('tsc')}', ['-p', project, '--noEmit'], { stdio: 'inherit' });
     r.status === 0 ? passed++ : failed++;
     console.log((r.status === 0 ? 'ok    ' : 'FAILED ') + 'tsc -p ' + project);
   }
   require('node:fs').writeFileSync(process.env.BACKORDER_TEST_RESULTS, JSON.stringify({ passed, failed }));
   process.exit(failed ? 1 : 0);`,
];

const suites: Suite[] = [
  { name: 'lint', command: () => [process.execPath, '--import', 'tsx', path.join(ROOT, 'scripts', 'lint.ts')], read: readCounts },
  { name: 'types', command: () => typeCheck, read: readCounts },
  {
    name: 'server',
    command: (out, extra) => [
      bin('vitest'),
      'run',
      '--config',
      'test/vitest.server.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
      ...extra,
    ],
    read: readVitest,
  },
  {
    name: 'storefront',
    command: (out, extra) => [bin('web-test-runner'), '--config', 'web-test-runner.config.mjs', ...extra],
    read: readCounts,
  },
  {
    name: 'e2e',
    command: (out, extra) => [
      bin('vitest'),
      'run',
      '--config',
      'test/vitest.e2e.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
      ...extra,
    ],
    read: readVitest,
  },
];

/** The suite's runner while one runs: ended on shutdown, as a SIGTERM sent to this process alone does not reach it. */
let running: ChildProcess | undefined;

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: 'inherit' });
    running = child;
    child.on('exit', (code, signal) => {
      running = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<number> {
  const [only, ...extra] = process.argv.slice(2);
  const selected = only ? suites.filter((s) => s.name === only) : suites;
  if (only && selected.length === 0) {
    console.error(`unknown suite "${only}"; choose one of ${suites.map((s) => s.name).join(', ')}`);
    return 2;
  }

  // All three in one apt-get run when missing (the services' start then finds PostgreSQL and redis-server).
  const [pgBin, redisBinary, chromiumPath] = ensureSystemTools([postgresServer, redisServer, chromium]);
  await buildStorefront(ROOT);
  // The suite's runner is ended before the services it uses.
  const services = throwawayServices('test', { beforeStop: () => running?.kill('SIGTERM') });

  const totals: Counts = { passed: 0, failed: 0 };
  const lines: string[] = [];
  try {
    const { postgres, redis } = await services.start();
    console.log(`services: postgres on port ${postgres.port}, redis-server on port ${redis.port} (pid ${redis.pid})`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      REDIS_SERVER_BIN: redisBinary,
      PG_BIN_DIR: pgBin,
      CHROMIUM_PATH: chromiumPath,
    };
    for (const suite of selected) {
      if (services.stopping) break;
      const resultFile = path.join(services.scratch, `${suite.name}.json`);
      console.log(`\n=== ${suite.name} ===`);
      const exitCode = await run(suite.command(resultFile, extra), { ...env, BACKORDER_TEST_RESULTS: resultFile });
      let counts: Counts;
      try {
        counts = suite.read(resultFile);
      } catch {
        // The runner died before reporting: that is a failure, not zero tests.
        counts = { passed: 0, failed: 1 };
      }
      if (exitCode !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      lines.push(`${suite.name}: ${counts.passed} passed, ${counts.failed} failed`);
    }
  } finally {
    await services.stop();
  }
  console.log(`\n${lines.join('\n')}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  return totals.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
