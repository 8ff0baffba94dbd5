import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../../server/db/database.ts';
import { migrate, type MigrationWait } from '../../../server/db/migrate.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';
import { useTempFolders } from '../../helpers/temp-folders.ts';

const opened: Database[] = [];
const tempFolder = useTempFolders();
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

async function open(kind: 'pglite' | 'postgres'): Promise<Database> {
  const database = kind === 'pglite' ? await openDatabase({}) : await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 4 });
  opened.push(database);
  return database;
}

/** Tables, columns, constraints and indexes: what the application depends on. */
async function schemaOf(db: Db) {
  const columns = await sql<Record<string, unknown>>`
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns where table_schema = 'public'
    order by table_name, column_name`.execute(db);
  const constraints = await sql<Record<string, unknown>>`
    select c.relname as table_name, k.conname, k.contype, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    -- PostgreSQL 18 (PGlite) also lists NOT NULL as constraints; information_schema.columns covers those.
    where n.nspname = 'public' and k.contype <> 'n' order by c.relname, k.conname`.execute(db);
  const indexes = await sql<Record<string, unknown>>`
    select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by tablename, indexname`.execute(db);
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await tempFolder('migrations-');
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('migrations', () => {
  it('when run on embedded PGlite and on the PostgreSQL server, then both end with the same schema', async () => {
    const [pglite, postgres] = await Promise.all([open('pglite'), open('postgres')]);
    const appliedOnPglite = await migrate(pglite.db);
    const appliedOnPostgres = await migrate(postgres.db);

    expect(appliedOnPglite.length).toBeGreaterThan(0);
    expect(appliedOnPglite).toEqual(appliedOnPostgres);
    const [a, b] = await Promise.all([schemaOf(pglite.db), schemaOf(postgres.db)]);
    expect(a.columns.length).toBeGreaterThan(10);
    expect(a).toEqual(b);
  });

  it.each(['pglite', 'postgres'] as const)('when run twice on %s, then the second run applies nothing', async (kind) => {
    const { db } = await open(kind);
    await migrate(db);
    expect(await migrate(db)).toEqual([]);
  });

  it.each(['pglite', 'postgres'] as const)('when a later migration fails on %s, then none of the pending ones is applied', async (kind) => {
    const { db } = await open(kind);
    const dir = await migrationsDir({
      '0001_good.sql': 'create table a (id int primary key);',
      '0002_bad.sql': 'create table b (id int primary key); insert into missing_table values (1);',
    });
    await expect(migrate(db, dir)).rejects.toThrow(/Migration 0002_bad.sql failed/);
    const tables = await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_name in ('a', 'b')`.execute(db);
    expect(tables.rows[0]?.n).toBe(0);
    expect((await sql`select name from schema_migrations`.execute(db)).rows).toEqual([]);
  });

  it.each(['pglite', 'postgres'] as const)(
    'when a migration runs outside a transaction on %s, then it can build an index concurrently, and one stopped part-way is finished by the next run',
    async (kind) => {
      const { db } = await open(kind);
      const build = (table: string) => `-- migrate: no transaction
-- builds the index without locking writes
drop index concurrently if exists a_name;
create index concurrently a_name on ${table} (name);
`;
      const first = { '0001_a.sql': 'create table a (id int primary key, name text);', '0002_index.sql': build('missing_table') };
      await expect(migrate(db, await migrationsDir(first))).rejects.toThrow(/Migration 0002_index.sql failed/);
      // The migration before it committed; the failed one is not recorded.
      expect((await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows.map((r) => r.name)).toEqual(['0001_a.sql']);

      const fixed = await migrationsDir({ ...first, '0002_index.sql': build('a'), '0003_b.sql': 'create table b (id int);' });
      expect(await migrate(db, fixed)).toEqual(['0002_index.sql', '0003_b.sql']);
      const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'a' order by indexname`.execute(db);
      expect(indexes.rows.map((r) => r.indexname)).toEqual(['a_name', 'a_pkey']);
      expect(await migrate(db, fixed)).toEqual([]);
    },
  );

  it('when an applied migration was edited, then migrating refuses and says to add a new one', async () => {
    const { db } = await open('pglite');
    await migrate(db, await migrationsDir({ '0001_a.sql': 'create table a (id int);' }));
    await expect(migrate(db, await migrationsDir({ '0001_a.sql': 'create table a (id bigint);' }))).rejects.toThrow(
      /0001_a.sql was changed after it was applied; add a new migration/,
    );
  });

  it('when two processes migrate the same server at once, then each migration is applied exactly once', async () => {
    const url = await createEmptyDatabase();
    const first = await openDatabase({ databaseUrl: url, poolSize: 2 });
    const second = await openDatabase({ databaseUrl: url, poolSize: 2 });
    opened.push(first, second);
    const [a, b] = await Promise.all([migrate(first.db), migrate(second.db)]);
    expect([...a, ...b].sort()).toEqual([...new Set([...a, ...b])].sort());
    expect(a.length + b.length).toBeGreaterThan(0);
    expect(Math.min(a.length, b.length)).toBe(0);
  });

  it('when another process holds the migration lock for seconds, then migrating waits, says once who holds it, and applies once it is let go', async () => {
    const url = await createEmptyDatabase();
    const holder = await openDatabase({ databaseUrl: url, poolSize: 1 });
    const waiting = await openDatabase({ databaseUrl: url, poolSize: 1 });
    opened.push(holder, waiting);
    const dir = await migrationsDir({ '0001_a.sql': 'create table a (id int);' });
    await holder.db.connection().execute(async (connection) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_advisory_lock(4817202)`.execute(connection);
      const heard: MigrationWait[] = [];
      let applied: string[] | undefined;
      const migrating = migrate(waiting.db, dir, (wait) => heard.push(wait)).then((names) => (applied = names));
      await expect.poll(() => heard, { timeout: 10_000 }).toEqual([{ holderPid: rows[0]!.pid }]);
      expect(applied).toBeUndefined();
      await sql`select pg_advisory_unlock(4817202)`.execute(connection);
      await migrating;
      expect(applied).toEqual(['0001_a.sql']);
      expect(heard).toHaveLength(1);
    });
  });
  it('when a long transaction holds a table a migration alters, then the migration lets go, says so, lets the table’s queries through, and applies once it ends', async () => {
    const url = await createEmptyDatabase();
    const [reader, migrating, other] = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: url, poolSize: 1 })));
    opened.push(reader!, migrating!, other!);
    await migrate(migrating!.db, await migrationsDir({ '0001_a.sql': 'create table a (id int);' }));
    const dir = await migrationsDir({ '0001_a.sql': 'create table a (id int);', '0002_b.sql': 'alter table a add column b int;' });
    await reader!.db.connection().execute(async (connection) => {
      await sql`begin`.execute(connection);
      await sql`select count(*) from a`.execute(connection);
      const heard: MigrationWait[] = [];
      let applied: string[] | undefined;
      const running = migrate(migrating!.db, dir, (wait) => heard.push(wait)).then((names) => (applied = names));
      await expect.poll(() => heard, { timeout: 10_000 }).toEqual([{ migration: '0002_b.sql' }]);
      // Not queued behind the waiting alter table for good: the table still answers.
      await sql`insert into a (id) values (1)`.execute(other!.db);
      expect(applied).toBeUndefined();
      await sql`commit`.execute(connection);
      await running;
      expect(applied).toEqual(['0002_b.sql']);
    });
  }, 30_000);
});
