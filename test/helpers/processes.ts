/** Child processes for end-to-end tests: started, waited for, and never left behind. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_OPERATOR_TOKEN } from './config.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export function spawnNode(args: string[], env: NodeJS.ProcessEnv): Spawned {
  return captured(spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * Runs a command (`npm run web` …) in `cwd` as a process group of its own: `stopGroup` reaches it and
 * every process it started (npm, the shell, scripts/run.mjs, the program).
 */
export function spawnCommand(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Spawned {
  return captured(spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Sends `signal` to a spawnCommand's whole group and waits until every process in it is gone (SIGKILL after 20 s). */
export async function stopGroup(spawned: Spawned, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const group = -spawned.child.pid!;
  const send = (sig: NodeJS.Signals | 0) => {
    try {
      process.kill(group, sig);
      return true;
    } catch {
      return false; // no process left in the group
    }
  };
  send(signal);
  const deadline = Date.now() + 20_000;
  while (send(0) && Date.now() < deadline + 5_000) {
    if (Date.now() > deadline) send('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function captured(child: ChildProcess): Spawned {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exited };
}

/** The processes `pid` started, with their command lines (`pgrep -P`). */
export function childrenOf(pid: number): Array<{ pid: number; args: string }> {
  let out: string;
  try {
    out = execFileSync('pgrep', ['-a', '-P', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ pid: Number(line.slice(0, line.indexOf(' '))), args: line.slice(line.indexOf(' ') + 1) }));
}

/** Polls `url` until it answers 200, the process exits, or the time is up. */
export async function waitForHealthy(url: string, spawned: Spawned, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void spawned.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not become healthy; output:\n${spawned.output()}`);
}

/** An environment without the services `npm test` started, as a newcomer's shell would be. */
export function newcomerEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'CLIENT_ID', 'CLIENT_SECRET', 'ENCRYPTION_KEY', 'APP_URL']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/**
 * Production's configuration for `npm run web` and `npm run worker` on this PostgreSQL and Redis: the test
 * app's credentials, a fresh key and queue prefix, and migrations left to the deploy (as compose.yaml deploys:
 * run once before web and worker start).
 */
export function productionEnv(databaseUrl: string, redisUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return newcomerEnv({
    NODE_ENV: 'production',
    APP_URL: 'https://backorder.example.com',
    CLIENT_ID: TEST_CLIENT_ID,
    CLIENT_SECRET: TEST_CLIENT_SECRET,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `{prod${randomBytes(4).toString('hex')}}`,
    OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
    MIGRATE_ON_START: 'false',
    ...extra,
  });
}
