/** Writing the note into BigCommerce once per order, against the real database and a recording connection. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrderNoteField, StoreConnection } from '../../../server/bigcommerce/index.ts';
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import { writeOrderNote } from '../../../server/orders/order-note.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'notes1';
beforeAll(async () => {
  await createStore(database.db, store);
});

/** One order in BigCommerce, counting the calls made for it. */
function recordingConnection(orderId: number) {
  const order: Record<OrderNoteField, string> & { id: number } = { id: orderId, staff_notes: 'Gift wrap', customer_message: '' };
  const calls: string[] = [];
  const connection: Pick<StoreConnection, 'orderNote' | 'writeOrderNote'> = {
    async orderNote(id, field) {
      calls.push(`get ${id}`);
      return order[field];
    },
    async writeOrderNote(id, field, text) {
      calls.push(`update ${id}`);
      order[field] = text;
    },
  };
  return { connection, calls, order };
}

describe('the order note in BigCommerce', () => {
  it('when every later delivery for the order asks for the note again, then BigCommerce is read and written once', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10 });
    const placed = orderFor(item, 2);
    await convergeOrder(stockDeps(database.db), store, placed);
    const { connection, calls, order } = recordingConnection(placed.id);
    const deps = { db: database.db, lock: keyedLock(database), connection };
    const settings = await getSettings(database.db, store);

    expect(await writeOrderNote(deps, settings, store, placed.id)).toBe('written');
    expect(await writeOrderNote(deps, settings, store, placed.id)).toBe('already-there');
    expect(await writeOrderNote(deps, settings, store, placed.id)).toBe('already-there');
    expect(calls).toEqual([`get ${placed.id}`, `update ${placed.id}`]);
    expect(order.staff_notes).toMatch(/^Gift wrap\n\n— BackOrder —\n[^]*: 2 backordered/);
  });
});
