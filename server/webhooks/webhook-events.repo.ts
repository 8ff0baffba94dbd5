/** Rows of `webhook_events`, the durable record of every delivery. */
import type { Db } from '../db/database.ts';

/** Deletes processed or ignored events finished before `before`; returns how many went. */
export async function deleteFinishedEvents(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhook_events')
    .where('status', 'in', ['processed', 'ignored'])
    .where('processed_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
