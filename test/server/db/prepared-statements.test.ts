/**
 * Repeated statements prepared on their connection (server/db/prepared-statements.ts), on a PostgreSQL server
 * through the app's own pool of one connection, so that `pg_prepared_statements` shows that connection's.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { migrate } from '../../../server/db/migrate.ts';
import { MANY, MAX_PREPARED, PREPARE_AFTER } from '../../../server/db/prepared-statements.ts';
import { openJob } from '../../../server/jobs/jobs.repo.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function oneConnection(preparedStatements?: boolean): Promise<Database> {
  database = await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 1, preparedStatements });
  return database;
}

async function preparedTexts(db: Database['db']): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements order by statement`.execute(db);
  return rows.map((row) => row.statement);
}

async function shelves(db: Database['db']): Promise<void> {
  await sql`create table shelves (id int primary key, name text)`.execute(db);
  await sql`insert into shelves values (1, 'top')`.execute(db);
}

const readShelf = (db: Database['db']) => sql<Record<string, unknown>>`select * from shelves where id = ${1}`.execute(db);

describe('statements a connection runs often', () => {
  it(`when a statement with parameters runs ${PREPARE_AFTER} times, then from that run it is prepared, and every run answers for its own values`, async () => {
    const { db } = await oneConnection();
    const text = 'select $1::int * 2 as doubled';
    for (let run = 1; run < PREPARE_AFTER; run++) {
      expect((await sql<{ doubled: number }>`select ${run}::int * 2 as doubled`.execute(db)).rows).toEqual([{ doubled: run * 2 }]);
    }
    expect(await preparedTexts(db)).not.toContain(text);

    for (let run = PREPARE_AFTER; run < PREPARE_AFTER + 3; run++) {
      expect((await sql<{ doubled: number }>`select ${run}::int * 2 as doubled`.execute(db)).rows).toEqual([{ doubled: run * 2 }]);
    }
    expect(await preparedTexts(db)).toContain(text);
  });

  it('when prepared statements are turned off (PREPARED_STATEMENTS=false, for a pooler that cannot keep them), then none is prepared', async () => {
    const { db } = await oneConnection(false);
    for (let run = 0; run < PREPARE_AFTER * 2; run++) await sql`select ${run}::int as n`.execute(db);
    expect(await preparedTexts(db)).toEqual([]);
  });

  it(`when a statement carries rows in bulk (an array of more than ${MANY} values, or more than ${MANY} parameters), then it runs planned for its values, never prepared`, async () => {
    const { db } = await oneConnection();
    const ids = Array.from({ length: MANY + 1 }, (_, i) => i);
    const sum = sql.join(
      ids.map((id) => sql`${id}::int`),
      sql` + `,
    );
    for (let run = 0; run < PREPARE_AFTER * 2; run++) {
      expect((await sql<{ n: number }>`select count(*) as n from unnest(${ids}::int[])`.execute(db)).rows).toEqual([{ n: MANY + 1 }]);
      expect((await sql<{ n: number }>`select ${sum} as n`.execute(db)).rows).toEqual([{ n: (MANY * (MANY + 1)) / 2 }]);
    }
    expect(await preparedTexts(db)).toEqual([]);
  });

  it('when a statement has no parameters, then it is never prepared (transaction control and scripts of several statements keep the simple protocol)', async () => {
    const { db } = await oneConnection();
    for (let run = 0; run < PREPARE_AFTER * 2; run++) await sql`select 1; select 2`.execute(db);
    expect(await preparedTexts(db)).toEqual([]);
  });

  it('when a migration adds a column to a table a prepared "select *" reads, then the next read outside a transaction runs it unprepared and sees the column', async () => {
    const { db } = await oneConnection();
    await shelves(db);
    for (let run = 0; run < PREPARE_AFTER; run++) await readShelf(db);
    expect(await preparedTexts(db)).toHaveLength(1);

    await sql`alter table shelves add column height int not null default 3`.execute(db);

    for (let run = 0; run < PREPARE_AFTER * 2; run++) expect((await readShelf(db)).rows).toEqual([{ id: 1, name: 'top', height: 3 }]);
  });

  it("when that read is inside a transaction, then the transaction fails with PostgreSQL's reason, and run again it succeeds with the column", async () => {
    const { db } = await oneConnection();
    await shelves(db);
    for (let run = 0; run < PREPARE_AFTER; run++) await readShelf(db);
    await sql`alter table shelves add column height int not null default 3`.execute(db);

    const inTransaction = () => db.transaction().execute((trx) => readShelf(trx));
    await expect(inTransaction()).rejects.toThrow(/cached plan must not change result type/);
    expect((await inTransaction()).rows).toEqual([{ id: 1, name: 'top', height: 3 }]);
  });

  it(`when a connection has run more than ${MAX_PREPARED} different statements often, then it prepares ${MAX_PREPARED} of them and runs the others unprepared`, async () => {
    const { db } = await oneConnection();
    for (let text = 0; text < MAX_PREPARED + 4; text++) {
      for (let run = 0; run < PREPARE_AFTER; run++) {
        expect((await sql<{ n: number }>`select ${run}::int + ${sql.lit(text)} as n`.execute(db)).rows).toEqual([{ n: run + text }]);
      }
    }
    expect(await preparedTexts(db)).toHaveLength(MAX_PREPARED);
  });

  it('when a run opens again and again (an insert whose ON CONFLICT names a partial index), then it still finds the open run once the statement is prepared', async () => {
    const { db } = await oneConnection();
    await migrate(db);
    for (let store = 0; store < PREPARE_AFTER * 2; store++) {
      await createStore(db, `prep${store}`);
      const first = await openJob(db, `prep${store}`, 'import', 'Importing');
      const second = await openJob(db, `prep${store}`, 'import', 'Importing');
      expect([first.created, second.created, second.job.id]).toEqual([true, false, first.job.id]);
    }
  });
});
