#!/usr/bin/env node
// Entry point of every npm script. Plain Node with no dependencies, because it is what installs them:
// on a fresh clone (or after package.json / package-lock.json changed) it runs `npm ci`, then runs
// scripts/<command>.ts through tsx. Signals are passed on so Ctrl-C reaches the real program.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
const commands = new Set(['start', 'test', 'web', 'worker', 'bench', 'soak', 'migrate', 'reconcile', 'billing-export']);

if (!commands.has(command)) {
  console.error(`usage: node scripts/run.mjs <${[...commands].join('|')}> [args]`);
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`backorder needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

ensureDependencies();

const script = path.join(root, 'scripts', `${command}.ts`);
// A .env file, when there is one, configures the app as the environment would (the environment wins).
const envFile = path.join(root, '.env');
const nodeArgs = existsSync(envFile) && command !== 'test' ? [`--env-file=${envFile}`] : [];
const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));

function ensureDependencies() {
  const lockFile = path.join(root, 'package-lock.json');
  const stampFile = path.join(root, 'node_modules', '.backorder-installed');
  const manifests = ['package.json', 'package-lock.json'].filter((name) => existsSync(path.join(root, name)));
  const digest = createHash('sha256');
  for (const name of manifests) digest.update(readFileSync(path.join(root, name)));
  const wanted = digest.digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) return;

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = existsSync(lockFile) ? ['ci'] : ['install'];
  console.log(`backorder: installing npm packages (npm ${install[0]}) ...`);
  const result = spawnSync(npm, [...install, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('backorder: npm could not install the packages (see above). Check network access to the npm registry.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, wanted);
}
