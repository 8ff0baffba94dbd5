/**
 * PostgreSQL going away under a transaction that is waiting between two statements (for BigCommerce, say)
 * must fail that transaction, not crash the process: a worker that dies there stops every queue it serves.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 3 });
});
afterAll(async () => {
  await database?.close();
});

describe('a connection lost mid-transaction', () => {
  it('when the server ends the connection while a transaction waits, then the transaction fails and the next query works', async () => {
    const crashes: unknown[] = [];
    const onUncaught = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const outcome = await database.db
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(database.db);
          // The transaction's client is idle here, checked out of the pool, when its server goes.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`select 1`.execute(trx);
        })
        .then(
          () => 'committed',
          (error: unknown) => `failed: ${(error as Error).message}`,
        );
      expect(outcome).toMatch(/^failed: /);
      expect(crashes).toEqual([]);
      expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
