/**
 * A throwaway PostgreSQL server for tests and benchmarks: initdb into a temporary folder and start it on
 * a free loopback port. For tests it is tuned for speed over durability; for the benchmarks and soaks it
 * commits as a production server does (each commit flushed to disk), and records when each transaction
 * committed, so that a figure can measure to the moment a change became visible. PostgreSQL refuses to run
 * as root, so as root it runs as the `postgres` user that Debian's package creates.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  dataDir: string;
  binDir: string;
  /** Stops the server (clients cut off, data kept), for outage tests. */
  halt(): void;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function runAs(user: string | undefined, command: string, args: string[]): void {
  const [program, argv] = user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
  const result = spawnSync(program, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args[0] ?? ''} failed (${result.status}):\n${result.stderr || result.stdout}`);
  }
}

function userIds(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error(`The ${user} user is missing; reinstall the postgresql package`);
  return { uid, gid: id('-g') };
}

export interface PostgresServerOptions {
  binDir: string;
  /** Commit as production does (fsync, synchronous commit) and keep commit timestamps: for figures. */
  durable?: boolean;
}

export async function startPostgresServer(options: PostgresServerOptions): Promise<PostgresServer> {
  const owner = process.getuid?.() === 0 ? 'postgres' : undefined;
  const root = mkdtempSync(path.join(tmpdir(), 'backorder-pg-'));
  if (owner) {
    const { uid, gid } = userIds(owner);
    chownSync(root, uid, gid);
  }
  const dataDir = path.join(root, 'data');
  const port = await freePort();
  const bin = (name: string) => path.join(options.binDir, name);
  runAs(owner, bin('initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);

  const serverOptions = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses='127.0.0.1'",
    ...(options.durable ? ['-c track_commit_timestamp=on'] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    '-c max_connections=300',
    '-c shared_buffers=256MB',
    // A profiling run's statement statistics, planning included (bench/webhooks.bench.ts, BENCH_PG_STATS=1).
    ...(process.env.BENCH_PG_STATS ? ['-c shared_preload_libraries=pg_stat_statements', '-c pg_stat_statements.track_planning=on'] : []),
  ].join(' ');
  const pgCtl = (args: string[]) => runAs(owner, bin('pg_ctl'), [...args, '-D', dataDir, '-w', '-t', '60']);
  const startServer = async () => {
    pgCtl(['start', '-o', serverOptions, '-l', path.join(root, 'server.log')]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.end();
  };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await startServer();

  return {
    url,
    port,
    dataDir,
    binDir: options.binDir,
    // Fast, not immediate: a test's server trades durability for speed (synchronous_commit off), so a crash
    // would lose the last commits, which a real (or a durable) server would not.
    halt: () => pgCtl(['stop', '-m', 'fast']),
    restart: startServer,
    async stop() {
      try {
        pgCtl(['stop', '-m', 'fast']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
