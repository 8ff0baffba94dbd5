/** Rows of `webhook_events`, the durable record of every delivery. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { WebhookEvent } from '../db/schema.ts';
import type { Envelope } from './envelope.ts';

/** A delivery to record: its store and envelope. */
export interface Delivery {
  storeHash: string;
  envelope: Envelope;
}

const keyOf = (storeHash: string, scope: string, hash: string, createdAt: number) => JSON.stringify([storeHash, scope, hash, createdAt]);

/** Records a delivery once; returns the row, and whether this delivery is the first of its key. */
export async function recordEvent(db: Db, storeHash: string, envelope: Envelope): Promise<{ event: WebhookEvent; isNew: boolean }> {
  return (await recordEvents(db, [{ storeHash, envelope }]))[0]!;
}

/**
 * Records deliveries in one statement, each key once; returns, per delivery in order, its row and whether
 * it is the first of its key (a key twice in `deliveries`: its first).
 */
export async function recordEvents(db: Db, deliveries: readonly Delivery[]): Promise<Array<{ event: WebhookEvent; isNew: boolean }>> {
  const inserted = await db
    .insertInto('webhook_events')
    .values(
      deliveries.map(({ storeHash, envelope }) => ({
        store_hash: storeHash,
        scope: envelope.scope,
        hash: envelope.hash,
        event_created_at: envelope.created_at,
        payload: JSON.stringify(envelope),
      })),
    )
    .onConflict((oc) => oc.columns(['store_hash', 'scope', 'hash', 'event_created_at']).doNothing())
    .returningAll()
    .execute();
  const rows = new Map(inserted.map((row) => [keyOf(row.store_hash, row.scope, row.hash, row.event_created_at), row]));
  const fresh = new Set(rows.keys());
  const missing = deliveries.filter(({ storeHash, envelope: e }) => !rows.has(keyOf(storeHash, e.scope, e.hash, e.created_at)));
  if (missing.length > 0) {
    const existing = await db
      .selectFrom('webhook_events')
      .selectAll()
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
