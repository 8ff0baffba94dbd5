/**
 * Plain SQL migrations (`migrations/NNNN_name.sql`), the same files on PGlite and on a PostgreSQL server.
 * Pending migrations run in one transaction under an advisory lock, so two processes starting together
 * cannot both apply them, and a failing migration leaves nothing half-applied.
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

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    }),
  );
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);
    await sql`
      create table if not exists schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`.execute(trx);
    const applied = await sql<{ name: string; checksum: string }>`select name, checksum from schema_migrations`.execute(trx);
    const checksums = new Map(applied.rows.map((row) => [row.name, row.checksum]));

    const done: string[] = [];
    for (const file of files) {
      const known = checksums.get(file.name);
      if (known !== undefined) {
        if (known !== file.checksum) {
          throw new Error(`Migration ${file.name} was changed after it was applied; add a new migration instead of editing it`);
        }
        continue;
      }
      try {
        await sql.raw(file.sql).execute(trx);
      } catch (error) {
        throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await sql`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`.execute(trx);
      done.push(file.name);
    }
    return done;
  });
}

/** The migrations not yet applied to the database (all of them before the first run). */
export async function pendingMigrations(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const table = await sql<{ name: string | null }>`select to_regclass('schema_migrations')::text as name`.execute(db);
  if (!table.rows[0]?.name) return files.map((file) => file.name);
  const applied = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows.map((row) => row.name));
  return files.filter((file) => !applied.has(file.name)).map((file) => file.name);
}
