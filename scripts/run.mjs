#!/usr/bin/env node
// Entry point of every npm script. Plain Node with no dependencies, because it is what installs them:
// on a fresh clone (or after package.json / package-lock.json changed) it runs `npm ci`, then runs
// scripts/<command>.ts through tsx (in production, web and worker from their bundles). Signals are passed on
// so Ctrl-C, or a process manager's SIGTERM, reaches the real program: start it as `node scripts/run.mjs web`
// under a process manager, since `npm run web` puts a shell in between that does not pass SIGTERM on.
//
// In production (NODE_ENV=production, in the environment or .env) it installs with --omit=dev and never
// adds the devDependencies (the sandbox store's packages, the test tools): an operator's own
// `npm ci --omit=dev` is kept as it is. Elsewhere, and for test, bench and soak, every package is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { devDependenciesInstalled, installIsCurrent, recordInstall } from './lib/install-stamp.mjs';
import { BUILT_COMMANDS, ensureCommandBundle } from './lib/server-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
const commands = new Set([
  'start',
  'test',
  'web',
  'worker',
  'bench',
  'soak',
  'migrate',
  'reconcile',
  'cli',
  'billing-export',
  'build-storefront',
  'lint',
  'screenshots',
]);
/** Commands that need the devDependencies whatever the mode. */
const developmentCommands = new Set(['test', 'bench', 'soak', 'lint', 'screenshots']);

if (!commands.has(command)) {
  console.error(`usage: node scripts/run.mjs <${[...commands].join('|')}> [args]`);
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`backorder needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

// A .env file, when there is one, configures the app as the environment would (the environment wins).
const envFile = path.join(root, '.env');
ensureDependencies();

// In production, web and worker run from their bundles (scripts/lib/server-build.mjs), built now if a source
// changed since; everything else, and every command elsewhere, runs its TypeScript through tsx.
const program =
  nodeEnv() === 'production' && BUILT_COMMANDS.includes(command) ? [await bundleOf(command)] : ['--import', 'tsx', path.join(root, 'scripts', `${command}.ts`)];
const nodeArgs = existsSync(envFile) && command !== 'test' ? [`--env-file=${envFile}`] : [];
const child = spawn(process.execPath, [...nodeArgs, ...program, ...args], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
// As a shell reports it: the program's code, or 128 + the number of the signal that ended it.
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));

/** The command's bundle, current with the sources, as are those of the processes it starts. */
async function bundleOf(name) {
  try {
    return await ensureCommandBundle(root, name);
  } catch (error) {
    console.error(`backorder: the ${name} bundle could not be built (${error.message}); \`node scripts/lib/server-build.mjs\` builds it and says why.`);
    process.exit(1);
  }
}

/** NODE_ENV as the program will see it: the environment's, else the .env file's. */
function nodeEnv() {
  if (process.env.NODE_ENV) return process.env.NODE_ENV;
  return existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')).NODE_ENV : undefined;
}

function ensureDependencies() {
  const withDev = developmentCommands.has(command) || nodeEnv() !== 'production';
  if (installIsCurrent(root) && (!withDev || devDependenciesInstalled(root))) return;

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = [existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install', withDev ? '--include=dev' : '--omit=dev'];
  console.log(`backorder: installing npm packages (npm ${install.join(' ')}): about a minute the first time ...`);
  const since = Date.now();
  const result = spawnSync(npm, [...install, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('backorder: npm could not install the packages or build the storefront (see above). Check network access to the npm registry.');
    process.exit(result.status ?? 1);
  }
  console.log(`backorder: npm packages installed in ${Math.round((Date.now() - since) / 1000)} s`);
  // @bigcommerce/checkout-sdk declares Node 22 in its engines: npm warns (EBADENGINE) on Node 20.
  if (major < 22) {
    console.log(
      "backorder: npm's EBADENGINE warning for @bigcommerce/checkout-sdk is expected: the SDK is bundled into the storefront script and runs in the shopper's browser, never in Node.",
    );
  }
  // npm's prepare step records the install too (scripts/after-install.mjs), unless scripts are turned off.
  recordInstall(root);
}
