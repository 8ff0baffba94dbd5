/**
 * Runs redis-server on a free loopback port, configured as the queues need it: append-only persistence
 * (a crash loses no acknowledged job) and `noeviction` (Redis refuses writes rather than drop jobs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';
import { isRunning } from './process.ts';

export interface RedisServer {
  url: string;
  port: number;
  /** The running server's process id (another one after a restart). */
  readonly pid: number;
  /** Starts it again on the same port and folder once it was killed, for outage tests: its data comes back. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Launched {
  child: ChildProcess;
  exited: Promise<number | null>;
}

export async function startRedisServer(options: { binary: string; dir: string; port?: number }): Promise<RedisServer> {
  await mkdir(options.dir, { recursive: true });
  const pidFile = path.join(options.dir, 'redis-server.pid');
  await stopLeftover(pidFile);
  const port = options.port ?? (await freePort());
  let running = await launch(options.binary, options.dir, port, pidFile);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return running.child.pid!;
    },
    async restart() {
      running = await launch(options.binary, options.dir, port, pidFile);
    },
    async stop() {
      const { child, exited } = running;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function launch(binary: string, dir: string, port: number, pidFile: string): Promise<Launched> {
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--protected-mode',
      'yes',
      '--daemonize',
      'no',
      '--pidfile',
      pidFile,
    ],
    // Its own process group: Ctrl-C must not stop Redis before the app has closed its queues.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) while starting:\n${output}`));
    });
  });
  child.stdout.resume();
  child.stderr.resume();
  return { child, exited };
}

/** A redis-server left running on this data folder by a killed run would corrupt it if a second started. */
async function stopLeftover(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isRunning(pid)) return;
  if (!readFileSafe(`/proc/${pid}/cmdline`).includes('redis-server')) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && isRunning(pid); waited += 100) await sleep(100);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
