/** Rows of `reconcile_runs`. */
import type { Db } from '../db/database.ts';

export async function lastFinishedRun(db: Db, storeHash: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('reconcile_runs')
    .select('started_at')
    .where('store_hash', '=', storeHash)
    .where('finished_at', 'is not', null)
    .where('error', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.started_at;
}

export async function startRun(db: Db, storeHash: string, startedAt: Date): Promise<number> {
  const row = await db.insertInto('reconcile_runs').values({ store_hash: storeHash, started_at: startedAt }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function finishRun(db: Db, runId: number, outcome: { fixes: string[] } | { error: string }): Promise<void> {
  await db
    .updateTable('reconcile_runs')
    .set({ finished_at: new Date(), ...('error' in outcome ? { error: outcome.error } : { fixes: outcome.fixes }) })
    .where('id', '=', runId)
    .execute();
}
