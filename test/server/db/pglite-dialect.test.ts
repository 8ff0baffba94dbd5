import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../server/db/database.ts';

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

describe('embedded PGlite through Kysely', () => {
  it('when two transactions increment the same row at once, then neither sees the other half-done', async () => {
    database = await openDatabase({});
    const { db } = database;
    await sql`create table counter (id int primary key, value int not null)`.execute(db);
    await sql`insert into counter values (1, 0)`.execute(db);

    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ value: number }>`select value from counter where id = 1`.execute(trx);
          await new Promise((resolve) => setTimeout(resolve, 1));
          await sql`update counter set value = ${rows[0]!.value + 1} where id = 1`.execute(trx);
        }),
      ),
    );
    const { rows } = await sql<{ value: number }>`select value from counter where id = 1`.execute(db);
    expect(rows[0]?.value).toBe(20);
  });

  it('when a transaction throws, then its writes are rolled back', async () => {
    database = await openDatabase({});
    const { db } = database;
    await sql`create table t (id int primary key)`.execute(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into t values (1)`.execute(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
    expect(rows[0]?.n).toBe(0);
  });

  it('when rows are updated, then the affected row count is reported', async () => {
    database = await openDatabase({});
    const { db } = database;
    await sql`create table t (id int primary key, v int)`.execute(db);
    await sql`insert into t values (1, 0), (2, 0), (3, 0)`.execute(db);
    const result = await sql`update t set v = v + ${1} where id <= ${2}`.execute(db);
    expect(Number(result.numAffectedRows)).toBe(2);
  });

  it('when reading counts and dates, then both engines give numbers and YYYY-MM-DD strings', async () => {
    database = await openDatabase({});
    const { rows } = await sql<{ n: number; d: string }>`select count(*) as n, date '2026-12-24' as d`.execute(database.db);
    expect(rows[0]).toEqual({ n: 1, d: '2026-12-24' });
  });
});
