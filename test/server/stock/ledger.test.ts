import { beforeAll, describe, expect, it } from 'vitest';
import { proveLedger, repairItem } from '../../../server/inventory/ledger.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, orderFor, stockOf, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'store1';
beforeAll(async () => {
  await createStore(database.db, store);
});

describe('the ledger proves the stock', () => {
  it('when nothing was tampered with, then every item agrees with its ledger', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 10 });
    await convergeOrder(stockDeps(database.db), store, orderFor(item, 5));
    expect(await proveLedger(database.db, store)).toEqual([]);
  });

  it('when a stock value is corrupted, then it is found and restored from the ledger, lines included', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 10 });
    await convergeOrder(stockDeps(database.db), store, orderFor(item, 5));
    await database.db.updateTable('inventory_items').set({ current_stock: 40 }).where('id', '=', item.id).execute();

    const mismatches = await proveLedger(database.db, store);
    expect(mismatches).toEqual([expect.objectContaining({ itemId: item.id, currentStock: 40, ledgerStock: -2, waiting: 2 })]);

    expect(await repairItem(stockDeps(database.db), store, item.id)).toBe(-2);
    expect((await stockOf(database.db, item.id)).waiting).toBe(2);
    expect(await proveLedger(database.db, store)).toEqual([]);
  });
});
