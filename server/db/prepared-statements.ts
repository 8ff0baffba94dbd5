/**
 * Statements a connection runs again and again are prepared on it, as PostgreSQL's JDBC driver does (its
 * `prepareThreshold`): from the fifth run of the same text with parameters, the client sends it under a
 * name, and the server parses and plans it once rather than every time. Planning was a third of the
 * server's CPU on the webhook path (the order statements join several tables); PostgreSQL still plans a
 * statement afresh for its values when a plan for any values would cost more (`plan_cache_mode` auto); a
 * small batch's arrays are hidden from it for that reason (unnest.ts).
 *
 * A statement that carries many rows — more than MANY parameters, or an array of more than MANY values (the
 * unnested columns of a batch) — runs unprepared, planned for its values: its planning is a small part of its
 * work, and a plan made for any values (and for the table's size when it was made) can cost it far more: a
 * catalog sync and an import of 100,000 rows took five and eight times as long prepared. Statements without
 * parameters keep the simple protocol (transaction control, migrations' scripts of several statements).
 *
 * A connection prepares at most MAX_PREPARED texts. A prepared text the server no longer accepts (a
 * migration changed the columns of a `select *`: "cached plan must not change result type"; a pooler that
 * dropped it) runs unprepared from then on: at once outside a transaction, after failing the transaction
 * it was in.
 */
import type pg from 'pg';

/** Runs of one text on one connection before it is prepared. */
export const PREPARE_AFTER = 5;
/** Texts prepared on one connection, at most (each holds a plan in its server process). */
export const MAX_PREPARED = 256;
/** Parameters, or values in one array parameter, beyond which a statement carries rows in bulk and is never prepared. */
export const MANY = 64;
/** Texts counted on one connection, at most: beyond it the counts start again (texts run once or twice, such as long IN lists, are forgotten). */
const MAX_COUNTED = 2_048;

/** SQLSTATEs of a prepared statement the server no longer runs: its result type changed; it does not exist. */
const STALE = new Set(['0A000', '26000']);

type Query = (...args: unknown[]) => unknown;

/** Makes the client prepare the texts it runs often (see above). */
export function prepareRepeatedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  // A text's runs so far, or the name it is prepared under, or false: never prepared again.
  const seen = new Map<string, number | string | false>();
  let prepared = 0;

  const named = (text: string): string | undefined => {
    const state = seen.get(text) ?? 0;
    if (typeof state !== 'number') return state || undefined;
    if (state + 1 < PREPARE_AFTER || prepared >= MAX_PREPARED) {
      if (seen.size >= MAX_COUNTED) forgetCounts(seen);
      seen.set(text, state + 1);
      return undefined;
    }
    const name = `backorder_${++prepared}`;
    seen.set(text, name);
    return name;
  };

  client.query = ((text: unknown, values: unknown, callback: unknown) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) return query(text, values, callback);
    if (inBulk(values)) return query(text, values);
    const name = named(text);
    if (!name) return query(text, values);
    return (query({ name, text, values }) as Promise<unknown>).catch((error: unknown) => {
      if (!STALE.has((error as { code?: string }).code ?? '')) throw error;
      seen.set(text, false);
      // Outside a transaction the refused statement did nothing: it runs again, unprepared. Inside one, the
      // transaction has failed, and whoever runs it retries (a job) or answers the error (a page).
      if (client.getTransactionStatus() === 'I') return query(text, values);
      throw error;
    });
  }) as typeof client.query;
}

function forgetCounts(seen: Map<string, number | string | false>): void {
  for (const [text, state] of seen) if (typeof state === 'number') seen.delete(text);
}

function inBulk(values: readonly unknown[]): boolean {
  return values.length > MANY || values.some((value) => Array.isArray(value) && value.length > MANY);
}
