/** Rows of `webhook_events`, the durable record of every delivery. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { WebhookEvent } from '../db/schema.ts';
import type { Envelope } from './envelope.ts';

/** Records a delivery once; returns the row, and whether this delivery is the first of its key. */
export async function recordEvent(db: Db, storeHash: string, envelope: Envelope): Promise<{ event: WebhookEvent; isNew: boolean }> {
  const inserted = await db
    .insertInto('webhook_events')
    .values({
      store_hash: storeHash,
      scope: envelope.scope,
      hash: envelope.hash,
      event_created_at: envelope.created_at,
      payload: JSON.stringify(envelope),
    })
    .onConflict((oc) => oc.columns(['store_hash', 'scope', 'hash', 'event_created_at']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { event: inserted, isNew: true };
  const existing = await db
    .selectFrom('webhook_events')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('scope', '=', envelope.scope)
    .where('hash', '=', envelope.hash)
    .where('event_created_at', '=', envelope.created_at)
    .executeTakeFirstOrThrow();
  return { event: existing, isNew: false };
}

export async function findEvent(db: Db, id: number): Promise<WebhookEvent | undefined> {
  return db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the outcome of one processing attempt. */
export async function markEvent(db: Db, id: number, outcome: { status: 'processed' | 'ignored' | 'failed' | 'received'; error?: string }): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({
      status: outcome.status,
      attempts: sql`attempts + 1`,
      last_error: outcome.error ?? null,
      processed_at: outcome.status === 'processed' || outcome.status === 'ignored' ? sql`now()` : null,
    })
    .where('id', '=', id)
    .execute();
}

/** Events recorded but still unprocessed after `olderThan`: Redis may have lost their jobs. */
export async function findStranded(db: Db, olderThan: Date, limit: number): Promise<WebhookEvent[]> {
  return db
    .selectFrom('webhook_events')
    .selectAll()
    .where('status', '=', 'received')
    .where('received_at', '<', olderThan)
    .orderBy('received_at')
    .limit(limit)
    .execute();
}

/** Deletes processed or ignored events finished before `before`; returns how many went. */
export async function deleteFinishedEvents(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('webhook_events').where('status', 'in', ['processed', 'ignored']).where('processed_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Puts the store's failed events back to `received` (attempts kept, error cleared); returns them. */
export async function reopenFailedEvents(db: Db, storeHash: string): Promise<WebhookEvent[]> {
  return db
    .updateTable('webhook_events')
    .set({ status: 'received', last_error: null })
    .where('store_hash', '=', storeHash)
    .where('status', '=', 'failed')
    .returningAll()
    .execute();
}
