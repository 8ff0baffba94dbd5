/** Rows of `reconcile_runs`. */
import type { Db } from '../db/database.ts';

/**
 * Where the store's next reconcile takes up its orders: when its last finished run started, and how far the
 * runs stopped part-way since then got through the orders (the last change of the last order converged).
 */
export async function ordersProgress(db: Db, storeHash: string): Promise<{ lastFinished: Date | undefined; through: Date | undefined }> {
  const lastFinished = await lastFinishedRun(db, storeHash);
  let since = db
    .selectFrom('reconcile_runs')
    .select((eb) => eb.fn.max('orders_through').as('through'))
    .where('store_hash', '=', storeHash);
  if (lastFinished) since = since.where('started_at', '>', lastFinished);
  const row = await since.executeTakeFirst();
  return { lastFinished, through: row?.through ?? undefined };
}

async function lastFinishedRun(db: Db, storeHash: string): Promise<Date | undefined> {
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

/** Records how the run ended; a run stopped part-way keeps how far it got through the orders. */
export async function finishRun(db: Db, runId: number, outcome: { fixes: string[] } | { error: string; ordersThrough: Date | undefined }): Promise<void> {
  await db
    .updateTable('reconcile_runs')
    .set({
      finished_at: new Date(),
      ...('error' in outcome ? { error: outcome.error, orders_through: outcome.ordersThrough ?? null } : { fixes: outcome.fixes }),
    })
    .where('id', '=', runId)
    .execute();
}
