/**
 * `npm test` interrupted: SIGTERM (a CI runner's cancel, `kill`) as well as Ctrl-C stops the PostgreSQL
 * server and Redis it started; nothing is left running.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isRunning } from '../../scripts/lib/process.ts';
import { spawnNode } from '../helpers/processes.ts';

/** Whether something accepts connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm test', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'when it gets %s while a suite runs, then it stops its PostgreSQL and Redis and exits non-zero',
    async (signal) => {
      // The type check: the quickest suite, and long enough to be interrupted.
      const spawned = spawnNode(['scripts/run.mjs', 'test', 'types'], { ...process.env });
      const services = /services: postgres on port (\d+), redis-server on port (\d+) \(pid (\d+)\)/;
      for (let waited = 0; !services.test(spawned.output()) && waited < 90_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const [, pgPort, redisPort, redisPid] = services.exec(spawned.output())?.map(Number) ?? [];
      expect(pgPort, spawned.output()).toBeGreaterThan(0);
      expect(await listening(pgPort!)).toBe(true);

      spawned.child.kill(signal);
      const exitCode = await Promise.race([spawned.exited, new Promise((resolve) => setTimeout(() => resolve('still running 30 s after the signal'), 30_000))]);

      expect(exitCode).toBe(130);
      expect(spawned.output()).toMatch(/stopped/);
      expect(await listening(pgPort!)).toBe(false);
      expect(await listening(redisPort!)).toBe(false);
      expect(isRunning(redisPid!)).toBe(false);
    },
    150_000,
  );
});
