/**
 * Opens the system of record: a PostgreSQL server when DATABASE_URL is set, embedded PGlite in the data
 * folder otherwise. Both speak the same SQL through one Kysely instance, with the same type parsing.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { safeUrl, UnreachableError } from '../errors.ts';
import { withTimeout } from '../with-timeout.ts';
import { prepareRepeatedStatements } from './prepared-statements.ts';
import type { Config } from '../config.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;
export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  engine: Engine;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a pooled connection may sit idle before it is closed. node-postgres closes one after 10 s; then
 * every lull longer than that (between two waves of a flash sale, say) closes the pool, and the next burst
 * pays for new connections whose server processes have prepared and planned nothing yet. An idle
 * connection costs the server a few megabytes; ten minutes spans the lulls of a busy day.
 */
export const IDLE_CONNECTION_MS = 10 * 60_000;

/** A pooled connection idle this long is probed by TCP keepalives (shorter than the idle timeouts of NATs). */
export const KEEPALIVE_AFTER_MS = 60_000;

const INT8 = 20;
const DATE = 1082;

// Counts and sums arrive as int8; our quantities fit in a JS number. Calendar dates (back-in-stock
// dates) stay 'YYYY-MM-DD' strings: a Date object would shift them across time zones.
const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: (value) => Number(value),
  [DATE]: (value) => value,
};

export interface OpenDatabaseOptions {
  /** A PostgreSQL server; when absent, embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; absent means an in-memory database (tests). */
  pgliteDir?: string | undefined;
  poolSize?: number;
  /** Prepare the statements a connection runs often (default true; a PostgreSQL server only). */
  preparedStatements?: boolean | undefined;
}

/** The database a configuration names: DATABASE_URL's server (with PREPARED_STATEMENTS), else PGlite in DATA_DIR. */
export function configuredDatabase(config: Pick<Config, 'databaseUrl' | 'preparedStatements' | 'dataDir'>): OpenDatabaseOptions & { pgliteDir: string } {
  return { databaseUrl: config.databaseUrl, preparedStatements: config.preparedStatements, pgliteDir: path.join(config.dataDir, 'pglite') };
}

/** How long a process starting waits for PostgreSQL's first answer (a host that drops packets never refuses). */
const REACH_TIMEOUT_MS = 10_000;

/** What a first connection's failure says to check, by PostgreSQL's error code: the server answered, or not. */
function unreachableAdvice(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === '28P01' || code === '28000') return 'PostgreSQL refused the user or password in DATABASE_URL';
  if (code === '3D000') return 'the database DATABASE_URL names does not exist on that server (create it, or fix the name)';
  return 'check DATABASE_URL and that the server is running';
}

/** Throws, naming DATABASE_URL, when the server does not let the process in: it cannot start without it. */
export async function reachDatabase(database: Database, databaseUrl: string | undefined): Promise<void> {
  if (!databaseUrl) return;
  try {
    await withTimeout(database.ping(), REACH_TIMEOUT_MS, `no answer in ${REACH_TIMEOUT_MS / 1000} s`);
  } catch (error) {
    const message = `PostgreSQL at ${safeUrl(databaseUrl)} could not be used (${(error as Error).message}); ${unreachableAdvice(error)}`;
    throw new UnreachableError(message, { cause: error });
  }
}

/** Opens the database named by the options. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      idleTimeoutMillis: IDLE_CONNECTION_MS,
      // A connection kept through a ten-minute lull must not be dropped silently on the way (a cloud NAT or load
      // balancer forgets idle flows after a few minutes): the next statement would wait on it for the OS's
      // retransmissions, minutes. TCP keepalives keep the flow known, and find a dead one while idle.
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_AFTER_MS,
      types: {
        getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // A client losing its server (a restart, a failover) must not crash the process: an idle client's error
    // reaches the pool, a checked-out client's reaches the client; both are dropped, and the query in
    // flight fails on its own promise. The next query connects again.
    pool.on('error', () => {});
    pool.on('connect', (client) => {
      client.on('error', () => {});
      if (options.preparedStatements !== false) prepareRepeatedStatements(client);
    });
    return wrap(new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
  }
  if (options.pgliteDir) await mkdir(path.dirname(options.pgliteDir), { recursive: true });
  // Loaded only here: PGlite (PostgreSQL in WebAssembly) adds about 30 MB to every process that imports it,
  // and a process on a PostgreSQL server (every worker in production) never needs it.
  const [{ PGlite }, { btree_gin }, { pg_trgm }, { PgliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gin'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('./pglite-dialect.ts'),
  ]);
  // Extensions the migrations create must be loaded into PGlite up front (a server has them installed).
  const pglite = await PGlite.create(options.pgliteDir, { parsers, extensions: { pg_trgm, btree_gin } });
  return wrap(new Kysely<DB>({ dialect: new PgliteDialect(pglite) }), 'pglite');
}

function wrap(db: Db, engine: Engine): Database {
  let closed: Promise<void> | undefined;
  return {
    db,
    engine,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}
