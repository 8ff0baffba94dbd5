/**
 * Plain SQL migrations (`migrations/NNNN_name.sql`), the same files on PGlite and on a PostgreSQL server.
 * Migrations run under an advisory lock held by one connection, so two processes starting together cannot
 * both apply them. Pending migrations run together in one transaction, so a failing one leaves nothing
 * half-applied.
 *
 * A migration whose first line is `-- migrate: no transaction` runs outside any transaction, one statement
 * (ending in `;` at the end of a line) at a time: what PostgreSQL refuses inside one, chiefly
 * `create index concurrently`, which builds an index without locking its table's writes for the build. The
 * migrations before it commit first; it is recorded once all its statements ran. Write it so that running
 * it again after a failure part-way finishes the job (`drop index concurrently if exists` first).
 *
 * A statement waits at most TABLE_LOCK_TIMEOUT_MS for its table's lock (an `alter table` behind a long
 * transaction): while it waits, every other query on that table queues behind it, so it lets go, the
 * migration is undone (or, outside a transaction, taken from the top) and tried again a little later.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { ROOT_DIR } from '../root.ts';
import type { Db } from './database.ts';

export const MIGRATIONS_DIR = path.join(ROOT_DIR, 'server', 'db', 'migrations');

/** Any constant works; it only has to be the same in every process of this app. */
const MIGRATION_LOCK_ID = 4_817_202;
/** How often a process waiting for another's migrations asks for the lock again. */
const LOCK_POLL_MS = 100;
/** After this long waiting for the lock, the process says so (a `create index concurrently` can take minutes). */
const WAIT_NOTICE_MS = 3_000;

/** How long a migration's statement waits for a table's lock before letting go (see above). */
const TABLE_LOCK_TIMEOUT_MS = 2_000;
/** How long after letting go it tries again. */
const TABLE_LOCK_RETRY_MS = 3_000;

/**
 * What migrating waits for, told once each: another process's migrations (the PostgreSQL backend holding the
 * migration lock; null: gone meanwhile), or a table a migration needs, held by a long transaction.
 */
export type MigrationWait = { holderPid: number | null } | { migration: string };
export type OnLockWait = (wait: MigrationWait) => void;

/** What a process waiting says. */
export function lockWaitMessage(wait: MigrationWait): string {
  if ('migration' in wait) {
    return `migration ${wait.migration} waits for a table a long transaction holds (see pg_stat_activity); trying again every few seconds, the table's other queries going on meanwhile`;
  }
  const { holderPid } = wait;
  return `waiting for another process's migrations to finish (it holds the migration lock${holderPid === null ? '' : `: PostgreSQL backend ${holderPid}, see pg_stat_activity`})`;
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
  transactional: boolean;
}

/** The first line of a migration that runs outside a transaction. */
const NO_TRANSACTION = /^-- migrate: no transaction\s*$/;

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(dir, name), 'utf8');
      const transactional = !NO_TRANSACTION.test(text.split('\n', 1)[0]!);
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex'), transactional };
    }),
  );
}

/** Applies pending migrations; returns the names applied. `onWait` hears when another process holds the lock. */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR, onWait?: OnLockWait): Promise<string[]> {
  const files = await readMigrations(dir);
  return db.connection().execute(async (connection) => {
    await takeMigrationLock(connection, onWait);
    try {
      await sql.raw(`set lock_timeout = ${TABLE_LOCK_TIMEOUT_MS}`).execute(connection);
      await sql`
        create table if not exists schema_migrations (
          name text primary key,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`.execute(connection);
      const pending = await pendingOf(connection, files);
      const done: string[] = [];
      while (pending.length > 0) {
        const first = pending[0]!;
        const together = first.transactional ? pending.splice(0, runLength(pending)) : pending.splice(0, 1);
        const apply = () => (first.transactional ? inTransaction(connection, () => applyEach(connection, together)) : applyEach(connection, together));
        await retriedWhileLocked(apply, (migration) => onWait?.({ migration }));
        done.push(...together.map((file) => file.name));
      }
      return done;
    } finally {
      // A connection lost meanwhile has already let go of the lock; its error is the one to report.
      await sql`reset lock_timeout`.execute(connection).catch(() => {});
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(connection).catch(() => {});
    }
  });
}

/** Runs `apply` again while a statement of it gave up waiting for a table's lock; `onWait` hears the first time. */
async function retriedWhileLocked(apply: () => Promise<void>, onWait: (migration: string) => void): Promise<void> {
  let told = false;
  for (;;) {
    try {
      return await apply();
    } catch (error) {
      const waited = lockTimedOut(error);
      if (!waited) throw error;
      if (!told) onWait(waited);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, TABLE_LOCK_RETRY_MS));
    }
  }
}

/** The migration whose statement gave up waiting for a lock (PostgreSQL's lock_not_available), if that is what failed. */
function lockTimedOut(error: unknown): string | undefined {
  const { cause, migration } = error as { cause?: { code?: string }; migration?: string };
  return cause?.code === '55P03' ? migration : undefined;
}

/**
 * Waits for the migration lock by asking again, never by waiting inside a statement: a process blocked in
 * `pg_advisory_lock` is a transaction that a `create index concurrently` of the lock's holder waits to
 * end — each waiting for the other.
 */
async function takeMigrationLock(connection: Db, onWait?: OnLockWait): Promise<void> {
  const noticeAt = Date.now() + WAIT_NOTICE_MS;
  let told = false;
  for (;;) {
    const { rows } = await sql<{ taken: boolean }>`select pg_try_advisory_lock(${MIGRATION_LOCK_ID}) as taken`.execute(connection);
    if (rows[0]?.taken) return;
    if (onWait && !told && Date.now() >= noticeAt) {
      told = true;
      onWait({ holderPid: await lockHolder(connection) });
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/** The backend holding the migration lock, for the operator to look up in pg_stat_activity. */
async function lockHolder(connection: Db): Promise<number | null> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_locks where locktype = 'advisory' and granted and classid = 0 and objid = ${MIGRATION_LOCK_ID}`.execute(connection);
  return rows[0]?.pid ?? null;
}

/** The files not yet applied; refuses when an applied one was edited since. */
async function pendingOf(connection: Db, files: MigrationFile[]): Promise<MigrationFile[]> {
  const applied = await sql<{ name: string; checksum: string }>`select name, checksum from schema_migrations`.execute(connection);
  const checksums = new Map(applied.rows.map((row) => [row.name, row.checksum]));
  for (const file of files) {
    const known = checksums.get(file.name);
    if (known !== undefined && known !== file.checksum) {
      throw new Error(`Migration ${file.name} was changed after it was applied; add a new migration instead of editing it`);
    }
  }
  return files.filter((file) => !checksums.has(file.name));
}

/** How many of the first pending files run in one transaction: up to the first that runs outside one. */
function runLength(pending: MigrationFile[]): number {
  const outside = pending.findIndex((file) => !file.transactional);
  return outside === -1 ? pending.length : outside;
}

async function inTransaction(connection: Db, work: () => Promise<void>): Promise<void> {
  await sql`begin`.execute(connection);
  try {
    await work();
    await sql`commit`.execute(connection);
  } catch (error) {
    await sql`rollback`.execute(connection).catch(() => {});
    throw error;
  }
}

/** Runs each file (a file outside a transaction statement by statement) and records it. */
async function applyEach(connection: Db, files: MigrationFile[]): Promise<void> {
  for (const file of files) {
    try {
      for (const statement of file.transactional ? [file.sql] : statementsOf(file.sql)) await sql.raw(statement).execute(connection);
    } catch (error) {
      throw Object.assign(new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error }), { migration: file.name });
    }
    await sql`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`.execute(connection);
  }
}

/** A migration's statements: split where a line ends in `;`, comment-only pieces dropped. */
function statementsOf(text: string): string[] {
  return text
    .split(/;[ \t]*$/m)
    .map((piece) => piece.trim())
    .filter((piece) => piece.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}

/** The migrations not yet applied to the database (all of them before the first run). */
export async function pendingMigrations(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const table = await sql<{ name: string | null }>`select to_regclass('schema_migrations')::text as name`.execute(db);
  if (!table.rows[0]?.name) return files.map((file) => file.name);
  const applied = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows.map((row) => row.name));
  return files.filter((file) => !applied.has(file.name)).map((file) => file.name);
}

/** "29 migrations pending (0001_foundation.sql … 0111_hold_message.sql)", or undefined when none is. */
export function describePending(pending: readonly string[]): string | undefined {
  if (pending.length === 0) return undefined;
  const named = pending.length <= 3 ? pending.join(', ') : `${pending[0]} … ${pending[pending.length - 1]}`;
  return `${pending.length} migration${pending.length === 1 ? '' : 's'} pending (${named})`;
}

/**
 * The schema an operator command works on: migrated by the command when processes migrate as they start;
 * with MIGRATE_ON_START=false only the deploy's `npm run migrate` changes it, so a command on a schema behind
 * its code refuses to run, naming what is pending.
 */
export async function schemaForCommand(db: Db, migrateOnStart: boolean): Promise<void> {
  if (migrateOnStart) {
    await migrate(db);
    return;
  }
  const pending = describePending(await pendingMigrations(db));
  if (pending) throw new Error(`The database's schema is behind this code: ${pending}. Run npm run migrate first (MIGRATE_ON_START=false).`);
}
