/**
 * Migration 0104, and the reconcile after it, put right the lines the code before it left: allocated lines
 * of unassigned products left open for good, and ETAs kept on lines no longer waiting. Run here on such
 * lines written as they were then.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MERCHANT_UNASSIGNED } from '../../../server/assignments/assignment-states.repo.ts';
import { releaseAssignment } from '../../../server/assignments/assignments.repo.ts';
import { MIGRATIONS_DIR } from '../../../server/db/migrate.ts';
import { closeLeftOverLines } from '../../../server/backorders/backorders.repo.ts';
import type { BackorderStatus } from '../../../server/db/schema.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignItems, createStore, orderFor, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const migration = readFileSync(path.join(MIGRATIONS_DIR, '0104_lines_stop_waiting.sql'), 'utf8');
const DUE = '2099-03-01';

/** A store whose lines are as the code before 0104 left them: an unassign kept allocated lines open, and ETAs stayed on lines that stopped waiting. */
async function leftOver(storeHash: string, firstOrder: number) {
  const db = database.db;
  const store = await createStore(db, storeHash);
  const [active] = await assignItems(db, store, firstOrder, [{ variantId: firstOrder * 10 + 1, stock: 0, threshold: 10, incoming: 9, date: DUE }]);
  const [unassigned] = await assignItems(db, store, firstOrder + 1, [{ variantId: firstOrder * 10 + 11, stock: 0, threshold: 10 }]);
  const orders = [0, 1, 2, 10, 11, 12].map((n) => firstOrder + n);
  for (const [n, id] of orders.entries()) await convergeOrder(stockDeps(db), store, orderFor((n < 3 ? active : unassigned)!, 1, { id }));
  await releaseAssignment(db, store, unassigned!.assignment_id, MERCHANT_UNASSIGNED);
  const leave = (orderId: number, status: BackorderStatus, eta: string | null) =>
    db.updateTable('backorder_lines').set({ status, eta }).where('order_id', '=', orderId).execute();
  await leave(orders[1]!, 'allocated', DUE);
  await leave(orders[2]!, 'shipped', DUE);
  await leave(orders[3]!, 'allocated', null);
  await leave(orders[4]!, 'released', DUE);
  await leave(orders[5]!, 'shipped', null);
  const lines = async () =>
    (await db.selectFrom('backorder_lines').select(['order_id', 'status', 'eta']).where('store_hash', '=', store).orderBy('order_id').execute()).map((l) => [
      l.order_id - firstOrder,
      l.status,
      l.eta,
    ]);
  return { store, lines };
}

/** Each line by its order (counted from the store's first), once put right: waiting lines keep their ETA. */
const PUT_RIGHT = [
  [0, 'waiting', DUE],
  [1, 'allocated', null],
  [2, 'shipped', null],
  [10, 'released', null],
  [11, 'released', null],
  [12, 'shipped', null],
];

describe('lines that stopped waiting, put right', () => {
  it('when lines were left open by an unassign, or kept an ETA they no longer wait for, then migration 0104 releases them or clears the ETA, and waiting lines keep theirs', async () => {
    const { lines } = await leftOver('repair1', 800);
    await sql.raw(migration).execute(database.db);
    expect(await lines()).toEqual(PUT_RIGHT);
  });

  it('when an older version, still running after the migration (an upgrade), leaves more, then the reconcile puts them right and says so', async () => {
    const { store, lines } = await leftOver('repair2', 900);
    const report = await closeLeftOverLines(database.db, store);
    expect(report).toEqual({ released: 1, etasCleared: 3 });
    expect(await lines()).toEqual(PUT_RIGHT);
    expect(await closeLeftOverLines(database.db, store)).toEqual({ released: 0, etasCleared: 0 });
  });
});
