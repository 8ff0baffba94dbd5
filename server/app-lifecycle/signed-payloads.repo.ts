/**
 * Signed payloads already used. BigCommerce's `/load`, `/uninstall` and `/remove_user` accept the same
 * kind of payload, and a `/load` URL stays in the control panel's iframe and in browser history for the
 * payload's 24 hours: recording each `jti` until its `exp` makes every payload good for one call, in
 * every web process (PostgreSQL, not Redis: it is the system of record and must work when Redis does not).
 */
import type { Db } from '../db/database.ts';

/** Records a payload's first use; false when it was used before (a replay). */
export async function claimSignedPayload(db: Db, use: { jti: string; storeHash: string; expiresAt: Date }): Promise<boolean> {
  const inserted = await db
    .insertInto('used_signed_payloads')
    .values({ jti: use.jti, store_hash: use.storeHash, expires_at: use.expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .returning('jti')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets payloads that expired before `now`: they are refused as expired anyway. Returns how many. */
export async function deleteExpiredPayloads(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('used_signed_payloads').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
