/** Writing the note into BigCommerce once per order, against the real database and a recording connection. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrderNoteField, StoreConnection } from '../../../server/bigcommerce/index.ts';
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import { writeOrderNote } from '../../../server/orders/order-note.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { recordingStatements, useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'notes1';
const configured = 'notes2';
beforeAll(async () => {
  await createStore(database.db, store);
  await createStore(database.db, configured);
});

/** The writer's database and lock, counting the statements they run. */
function countedDeps(connection: Pick<StoreConnection, 'orderNote' | 'writeOrderNote'>) {
  const { db, statements } = recordingStatements(database.db);
  return { deps: { db, lock: keyedLock({ db, engine: database.engine }), connection }, statements };
}

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

/** An order at `storeHash` that backordered `quantity` units, and BigCommerce's copy of it. */
async function backorderedOrder(storeHash: string, quantity: number) {
  const item = await assignProduct(database.db, storeHash, { currentStock: 0, backorderThreshold: 10 });
  const placed = orderFor(item, quantity);
  await convergeOrder(stockDeps(database.db), storeHash, placed);
  return { item, placed, ...recordingConnection(placed.id) };
}

describe('the order note in BigCommerce', () => {
  it('when every later delivery for the order asks for the note again, then BigCommerce is read and written once, and a later ask is one statement', async () => {
    const { placed, connection, calls, order } = await backorderedOrder(store, 2);
    const { deps, statements } = countedDeps(connection);

    expect(await writeOrderNote(deps, store, placed.id)).toBe('written');
    expect(statements.length).toBeLessThanOrEqual(4);
    statements.length = 0;
    expect(await writeOrderNote(deps, store, placed.id)).toBe('already-there');
    expect(await writeOrderNote(deps, store, placed.id)).toBe('already-there');
    expect(statements).toHaveLength(2);
    expect(calls).toEqual([`get ${placed.id}`, `update ${placed.id}`]);
    expect(order.staff_notes).toMatch(/^Gift wrap\n\n— BackOrder —\n[^]*: 2 backordered/);
  });

  it('when two jobs for one order run at once, then the note is written once', async () => {
    const { placed, connection, calls, order } = await backorderedOrder(store, 1);
    const deps = { db: database.db, lock: keyedLock(database), connection };

    const outcomes = await Promise.all([writeOrderNote(deps, store, placed.id), writeOrderNote(deps, store, placed.id)]);
    expect(outcomes.sort()).toEqual(['already-there', 'written']);
    expect(calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
    expect(order.staff_notes.split('— BackOrder —')).toHaveLength(2);
  });

  it('when the merchant saved where the note goes and what it says, then the note follows those settings; switched off, nothing is written', async () => {
    const { item, placed, connection, calls, order } = await backorderedOrder(configured, 3);
    const deps = { db: database.db, lock: keyedLock(database), connection };

    await updateSettings(database.db, configured, { orderNote: { target: 'customer_message', message: 'Ships in two parts:' } });
    expect(await writeOrderNote(deps, configured, placed.id)).toBe('written');
    expect(order.customer_message).toMatch(/^— BackOrder —\nShips in two parts:\n[^]*: 3 backordered/);
    expect(order.staff_notes).toBe('Gift wrap');

    const later = orderFor(item, 1);
    await convergeOrder(stockDeps(database.db), configured, later);
    await updateSettings(database.db, configured, { orderNote: { enabled: false } });
    expect(await writeOrderNote({ ...deps, connection: recordingConnection(later.id).connection }, configured, later.id)).toBe('disabled');
    expect(calls).toEqual([`get ${placed.id}`, `update ${placed.id}`]);
  });
});
