/** Process plumbing shared by the scripts: the repository root and one clean shutdown on signals. */
import type { ChildProcess } from 'node:child_process';
import { ROOT_DIR } from '../../server/root.ts';

/** The repository root (also when bundled into dist/server/). */
export const ROOT = ROOT_DIR;

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `shutdown` once on SIGINT/SIGTERM/SIGHUP, then exits (with `exitCode` once it finished; default 0).
 * Ctrl-C reaches this process several times over (the terminal's process group, npm, our runner), so
 * repeats within 2 s are ignored; a later one forces the exit.
 */
export function onShutdown(shutdown: () => Promise<void>, options: { timeoutMs?: number; exitCode?: number } = {}): void {
  const { timeoutMs = 25_000, exitCode = 0 } = options;
  let startedAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (startedAt > 0) {
      if (Date.now() - startedAt > 2_000) {
        console.error(`${signal} again: exiting without finishing the shutdown`);
        process.exit(130);
      }
      return;
    }
    startedAt = Date.now();
    console.log(`\n${signal} received: stopping ...`);
    const force = setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    shutdown().then(
      () => {
        console.log('stopped');
        process.exit(exitCode);
      },
      (error: unknown) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handler);
}

const children = new Set<ChildProcess>();
let killingOnExit = false;

/** Kills `child` when this process exits, however it exits: a run that gives up must leave nothing behind. */
export function killOnExit<T extends ChildProcess>(child: T): T {
  if (!killingOnExit) {
    killingOnExit = true;
    process.on('exit', () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
