/**
 * Migration 0104 puts right the lines the code before it left: allocated lines of unassigned products left open
 * for good, and ETAs kept on lines no longer waiting. Run here, whole, on such lines written as they were then.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MERCHANT_UNASSIGNED } from '../../../server/assignments/assignment-states.repo.ts';
import { releaseAssignment } from '../../../server/assignments/assignments.repo.ts';
import { MIGRATIONS_DIR } from '../../../server/db/migrate.ts';
import type { BackorderStatus } from '../../../server/db/schema.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignItems, createStore, orderFor, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const migration = readFileSync(path.join(MIGRATIONS_DIR, '0104_lines_stop_waiting.sql'), 'utf8');
const DUE = '2099-03-01';

describe('migration 0104: lines that stopped waiting', () => {
  it('when lines were left open by an unassign, or kept an ETA they no longer wait for, then they are released or lose the ETA, and waiting lines keep theirs', async () => {
    const db = database.db;
    const store = await createStore(db, 'repair1');
    const [active] = await assignItems(db, store, 980, [{ variantId: 9801, stock: 0, threshold: 10, incoming: 9, date: DUE }]);
    const [unassigned] = await assignItems(db, store, 981, [{ variantId: 9811, stock: 0, threshold: 10 }]);
    for (const [id, item] of [
      [801, active],
      [802, active],
      [803, active],
      [811, unassigned],
      [812, unassigned],
      [813, unassigned],
    ] as const) {
      await convergeOrder(stockDeps(db), store, orderFor(item!, 1, { id }));
    }
    await releaseAssignment(db, store, unassigned!.assignment_id, MERCHANT_UNASSIGNED);
    // As the code before 0104 left them: an unassign kept allocated lines open, and ETAs stayed on lines that stopped waiting.
    const leave = (orderId: number, status: BackorderStatus, eta: string | null) =>
      db.updateTable('backorder_lines').set({ status, eta }).where('order_id', '=', orderId).execute();
    await leave(802, 'allocated', DUE);
    await leave(803, 'shipped', DUE);
    await leave(811, 'allocated', null);
    await leave(812, 'released', DUE);
    await leave(813, 'shipped', null);

    await sql.raw(migration).execute(db);

    const lines = await db.selectFrom('backorder_lines').select(['order_id', 'status', 'eta']).where('store_hash', '=', store).orderBy('order_id').execute();
    expect(lines.map((l) => [l.order_id, l.status, l.eta])).toEqual([
      [801, 'waiting', DUE],
      [802, 'allocated', null],
      [803, 'shipped', null],
      [811, 'released', null],
      [812, 'released', null],
      [813, 'shipped', null],
    ]);
  });
});
