/**
 * Throwaway PostgreSQL and Redis servers for one run of a script (npm test, the screenshots, the benchmarks
 * and soaks): each pair on free loopback ports, Redis's files in the run's scratch folder. Every server
 * started is stopped, and the folder removed, once: at the end of the run or on Ctrl-C, whichever comes first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onShutdown } from './process.ts';
import { startPostgresServer, type PostgresServer } from './postgres-server.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';
import { ensureSystemTools, postgresServer, redisServer } from './system.ts';

export interface ServicePair {
  postgres: PostgresServer;
  redis: RedisServer;
}

export interface ThrowawayServices {
  /** The run's scratch folder, removed with the services. */
  scratch: string;
  /** Starts another pair, installing PostgreSQL and redis-server first when they are missing. */
  start(): Promise<ServicePair>;
  /** Stops every server started and removes the scratch folder; once, whoever asks first. */
  stop(): Promise<void>;
  /** Whether stopping has begun (a signal may have asked). */
  readonly stopping: boolean;
}

/**
 * The run's services, stopped on SIGINT/SIGTERM/SIGHUP (then the process exits with 130). `beforeStop`
 * runs first: it ends what still uses them (a test runner) so that it does not fail on their loss.
 */
export function throwawayServices(name: string, options: { beforeStop?: () => void; durable?: boolean } = {}): ThrowawayServices {
  const scratch = mkdtempSync(path.join(tmpdir(), `backorder-${name}-`));
  const started: Array<{ stop(): Promise<void> }> = [];
  let pairs = 0;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      options.beforeStop?.();
      await Promise.allSettled(started.map((server) => server.stop()));
      rmSync(scratch, { recursive: true, force: true });
    })());
  onShutdown(stop, { exitCode: 130 });
  return {
    scratch,
    async start() {
      const [pgBin, redisBinary] = ensureSystemTools([postgresServer, redisServer]);
      // Each server is owned as soon as it runs: one whose partner fails to start is still stopped.
      const postgres = await startPostgresServer({ binDir: pgBin!, durable: options.durable });
      started.push(postgres);
      const redis = await startRedisServer({ binary: redisBinary!, dir: path.join(scratch, `redis-${pairs++}`) });
      started.push(redis);
      return { postgres, redis };
    },
    stop,
    get stopping() {
      return stopping !== undefined;
    },
  };
}
