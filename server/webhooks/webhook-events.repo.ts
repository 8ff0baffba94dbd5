/** Rows of `webhook_events`, the durable record of every delivery. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { WebhookEvent } from '../db/schema.ts';
import { columnNames, unnestRows, type UnnestColumns } from '../db/unnest.ts';
import type { Envelope } from './envelope.ts';

/** A delivery to record: its store and envelope. */
export interface Delivery {
  storeHash: string;
  envelope: Envelope;
}

const keyOf = (storeHash: string, scope: string, hash: string, createdAt: number) => JSON.stringify([storeHash, scope, hash, createdAt]);

/** What recording a delivery gives back: its row's key, id, status and receipt (not the payload, which it sent). */
export type RecordedEvent = Pick<WebhookEvent, 'id' | 'store_hash' | 'scope' | 'hash' | 'event_created_at' | 'status' | 'received_at'>;

const RECORDED = ['id', 'store_hash', 'scope', 'hash', 'event_created_at', 'status', 'received_at'] as const;

/** Records a delivery once; returns the row, and whether this delivery is the first of its key. */
export async function recordEvent(db: Db, storeHash: string, envelope: Envelope): Promise<{ event: RecordedEvent; isNew: boolean }> {
  return (await recordEvents(db, [{ storeHash, envelope }]))[0]!;
}

const DELIVERY_COLUMNS: UnnestColumns<Delivery> = {
  store_hash: ['text', (d) => d.storeHash],
  scope: ['text', (d) => d.envelope.scope],
  hash: ['text', (d) => d.envelope.hash],
  event_created_at: ['bigint', (d) => d.envelope.created_at],
  payload: ['jsonb', (d) => JSON.stringify(d.envelope)],
};

/**
 * Records deliveries in one statement, each key once; returns, per delivery in order, its row and whether
 * it is the first of its key (a key twice in `deliveries`: its first). The statement's text is the same for
 * any number of deliveries: one array per column, not five parameters a row.
 */
export async function recordEvents(db: Db, deliveries: readonly Delivery[]): Promise<Array<{ event: RecordedEvent; isNew: boolean }>> {
  const { rows: inserted } = await sql<RecordedEvent>`
    insert into webhook_events (${sql.raw(columnNames(DELIVERY_COLUMNS))})
    select * from ${unnestRows(deliveries, DELIVERY_COLUMNS)}
    on conflict (store_hash, scope, hash, event_created_at) do nothing
    returning ${sql.raw(RECORDED.join(', '))}`.execute(db);
  const rows = new Map(inserted.map((row) => [keyOf(row.store_hash, row.scope, row.hash, row.event_created_at), row]));
  const fresh = new Set(rows.keys());
  const missing = deliveries.filter(({ storeHash, envelope: e }) => !rows.has(keyOf(storeHash, e.scope, e.hash, e.created_at)));
  if (missing.length > 0) {
    const existing = await db
      .selectFrom('webhook_events')
      .select(RECORDED)
      .where((eb) =>
        eb.or(
          missing.map(({ storeHash, envelope: e }) =>
            eb.and([eb('store_hash', '=', storeHash), eb('scope', '=', e.scope), eb('hash', '=', e.hash), eb('event_created_at', '=', e.created_at)]),
          ),
        ),
      )
      .execute();
    for (const row of existing) rows.set(keyOf(row.store_hash, row.scope, row.hash, row.event_created_at), row);
  }
  return deliveries.map(({ storeHash, envelope: e }) => {
    const key = keyOf(storeHash, e.scope, e.hash, e.created_at);
    const event = rows.get(key);
    if (!event) throw new Error(`webhook event ${key} was neither recorded nor found`);
    const isNew = fresh.delete(key);
    return { event, isNew };
  });
}

export async function findEvent(db: Db, id: number): Promise<WebhookEvent | undefined> {
  return db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An event its handler finished with: processed, or ignored (nothing for the app to do). */
export interface EventDone {
  id: number;
  status: 'processed' | 'ignored';
}

const DONE_COLUMNS: UnnestColumns<EventDone> = {
  id: ['bigint', (d) => d.id],
  status: ['text', (d) => d.status],
};

/** Marks the events finished, in one statement: an attempt more, no error, done now. */
export async function markEventsDone(db: Db, done: readonly EventDone[]): Promise<void> {
  await sql`
    update webhook_events e
    set status = t.status, attempts = e.attempts + 1, last_error = null, processed_at = now()
    from ${unnestRows(done, DONE_COLUMNS)}
    where e.id = t.id`.execute(db);
}

/** Marks a failed attempt: the event waits for its next try (`received`), or, after its last, is `failed`. */
export async function markAttemptFailed(db: Db, id: number, failure: { final: boolean; error: string }): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({ status: failure.final ? 'failed' : 'received', attempts: sql`attempts + 1`, last_error: failure.error, processed_at: null })
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

/**
 * Puts finished events back to `received`, owing another run: a repeated delivery whose job Redis could not
 * take. The sweeper then queues it, as it queues any event recorded and never run.
 */
export async function reopenEvents(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('webhook_events').set({ status: 'received', processed_at: null }).where('id', 'in', ids).where('status', '<>', 'received').execute();
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
