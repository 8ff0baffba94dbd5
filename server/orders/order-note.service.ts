/**
 * Writes the BackOrder note into an order once: read the order's notes, append the note unless its
 * marker is already there, write, and remember it (every later delivery for the order asks again, and is
 * answered without reading the order from BigCommerce). A lock per order keeps two workers from both
 * appending it.
 */
import type { StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { KeyedLock } from '../db/keyed-lock.ts';
import { settingsFrom } from '../settings/settings.service.ts';
import { withBackorderNote } from './order-note.ts';
import { markNoted, noteWork } from './order-notes.repo.ts';

export type NoteOutcome = 'written' | 'already-there' | 'nothing-backordered' | 'disabled';

export async function writeOrderNote(
  deps: { db: Db; lock: KeyedLock; connection: Pick<StoreConnection, 'orderNote' | 'writeOrderNote'> },
  storeHash: string,
  orderId: number,
): Promise<NoteOutcome> {
  // A date gone by (passed before the incoming-stock job took it in) is no promise: the note gives none.
  const work = await noteWork(deps.db, storeHash, orderId);
  if (!work) return 'nothing-backordered';
  const { orderNote } = settingsFrom(work.overrides);
  if (!orderNote.enabled) return 'disabled';
  if (work.noted) return 'already-there';

  return deps.lock.run(`order-note:${storeHash}:${orderId}`, async (db) => {
    // Read under the lock: a note that another job wrote while this one waited is found by its marker.
    const next = withBackorderNote(
      await deps.connection.orderNote(orderId, orderNote.target),
      orderNote.message,
      work.lines.map((line) => ({ productName: line.product_name, sku: line.sku, backordered: line.backordered_qty, eta: line.eta })),
    );
    if (next !== undefined) await deps.connection.writeOrderNote(orderId, orderNote.target, next);
    await markNoted(db, storeHash, orderId);
    return next === undefined ? 'already-there' : 'written';
  });
}
