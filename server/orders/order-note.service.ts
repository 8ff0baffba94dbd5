/**
 * Writes the BackOrder note into an order once: read the order's notes, append the note unless its
 * marker is already there, write, and remember it (every later delivery for the order asks again, and is
 * answered without reading the order from BigCommerce). A lock per order keeps two workers from both
 * appending it.
 */
import type { StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { KeyedLock } from '../db/keyed-lock.ts';
import type { Settings } from '../settings/settings.schema.ts';
import { withBackorderNote } from './order-note.ts';
import { isNoted, markNoted, noteLinesOfOrder } from './order-notes.repo.ts';

export type NoteOutcome = 'written' | 'already-there' | 'nothing-backordered' | 'disabled';

export async function writeOrderNote(
  deps: { db: Db; lock: KeyedLock; connection: Pick<StoreConnection, 'orderNote' | 'writeOrderNote'> },
  settings: Pick<Settings, 'orderNote'>,
  storeHash: string,
  orderId: number,
): Promise<NoteOutcome> {
  if (!settings.orderNote.enabled) return 'disabled';
  // A date gone by (passed before the incoming-stock job took it in) is no promise: the note gives none.
  const lines = await noteLinesOfOrder(deps.db, storeHash, orderId);
  if (lines.length === 0) return 'nothing-backordered';

  return deps.lock.run(`order-note:${storeHash}:${orderId}`, async (db) => {
    if (await isNoted(db, storeHash, orderId)) return 'already-there';
    const field = settings.orderNote.target;
    const next = withBackorderNote(
      await deps.connection.orderNote(orderId, field),
      settings.orderNote.message,
      lines.map((line) => ({ productName: line.product_name, sku: line.sku, backordered: line.backordered_qty, eta: line.eta })),
    );
    if (next !== undefined) await deps.connection.writeOrderNote(orderId, field, next);
    await markNoted(db, storeHash, orderId);
    return next === undefined ? 'already-there' : 'written';
  });
}
