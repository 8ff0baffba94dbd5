/**
 * Rows unnested from arrays (server/db/unnest.ts): a small batch's statement keeps one plan for any values, so
 * that PostgreSQL does not plan it again every run; a bulk batch is planned for its size. On a PostgreSQL server
 * through the app's own pool of one connection, so that `pg_prepared_statements` shows that connection's plans.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { MANY, PREPARE_AFTER } from '../../../server/db/prepared-statements.ts';
import { anyOf, unnestRows } from '../../../server/db/unnest.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

/** One connection, with a table large enough that a plan for one row costs less than a plan for any rows. */
async function shelves(): Promise<Database['db']> {
  database = await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 1 });
  const { db } = database;
  await sql`create table shelves (id int primary key, units int not null)`.execute(db);
  await sql`insert into shelves select n, 0 from generate_series(1, 20000) n`.execute(db);
  await sql`analyze shelves`.execute(db);
  return db;
}

type Move = { id: number; units: number };
const columns = { id: ['int', (m: Move) => m.id], units: ['int', (m: Move) => m.units] } as const;

/** How often PostgreSQL planned the connection's prepared statement of `text` for its values, and for any values. */
async function plansOf(db: Database['db'], text: string): Promise<{ custom: number; generic: number }> {
  const { rows } = await sql<{ custom: string; generic: string }>`
    select custom_plans as custom, generic_plans as generic from pg_prepared_statements where statement = ${text}`.execute(db);
  expect(rows).toHaveLength(1);
  return { custom: Number(rows[0]!.custom), generic: Number(rows[0]!.generic) };
}

/** The planner's estimate of the rows a select from the batch gives. */
async function estimatedRows(db: Database['db'], moves: readonly Move[]): Promise<number> {
  const { rows } = await sql<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>`
    explain (format json) select * from ${unnestRows(moves, columns)}`.execute(db);
  return rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows'];
}

describe('rows unnested from arrays', () => {
  it('when a small batch moves one shelf at a time, run after run on one connection, then it is planned for any values once and that plan is kept (plain arrays: planned every run)', async () => {
    const db = await shelves();
    const runs = PREPARE_AFTER + 10;
    const move = (units: number) => unnestRows([{ id: 1 + (units % 100), units }], columns);
    for (let run = 0; run < runs; run++) {
      await sql`update shelves s set units = s.units + t.units from ${move(run)} where s.id = t.id`.execute(db);
      await sql`update shelves s set units = s.units + t.units from unnest(${[run]}::int[], ${[1 + (run % 100)]}::int[]) as t(units, id) where s.id = t.id`.execute(
        db,
      );
    }
    const kept = await plansOf(db, sql`update shelves s set units = s.units + t.units from ${move(0)} where s.id = t.id`.compile(db).sql);
    const replanned = await plansOf(
      db,
      sql`update shelves s set units = s.units + t.units from unnest(${[0]}::int[], ${[1]}::int[]) as t(units, id) where s.id = t.id`.compile(db).sql,
    );
    // PostgreSQL plans a prepared statement for its values five times before it weighs a plan for any values.
    expect(kept.custom).toBe(5);
    expect(kept.generic).toBe(runs - PREPARE_AFTER + 1 - 5);
    expect(replanned.generic).toBe(0);
    const { rows } = await sql<{ units: number }>`select sum(units)::int as units from shelves`.execute(db);
    expect(rows[0]!.units).toBe(2 * ((runs * (runs - 1)) / 2));
  });

  it(`when a batch carries more than ${MANY} rows (never prepared), then the planner sees how many; a smaller one's estimate is the same for any size`, async () => {
    const db = await shelves();
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, units: 1 }));
    expect(await estimatedRows(db, batch(MANY + 1))).toBe(MANY + 1);
    expect(await estimatedRows(db, batch(1))).toBe(await estimatedRows(db, batch(MANY)));
  });

  it('when shelves are matched with anyOf, then a small and a bulk list both find exactly their shelves', async () => {
    const db = await shelves();
    for (const ids of [[3, 7], Array.from({ length: MANY + 5 }, (_, i) => i + 1)]) {
      const { rows } = await sql<{ id: number }>`select id from shelves where id = ${anyOf(ids, 'int')} order by id`.execute(db);
      expect(rows.map((r) => r.id)).toEqual(ids);
    }
  });
});
