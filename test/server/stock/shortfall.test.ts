/**
 * Issue 11, point 13: units by which stock is below zero that no order owes (a level lowered in BigCommerce
 * below what orders took) are the item's unexplained shortfall, so that always
 * waiting units + shortfall = max(0, −current stock), and reconcile's ledger proof holds instead of
 * flagging the item every night.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.ts';
import { migrate, MIGRATIONS_DIR } from '../../../server/db/migrate.ts';
import { proveLedger, repairItem } from '../../../server/inventory/ledger.service.ts';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { describeReport } from '../../../server/reconcile/reconcile.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { createEmptyDatabase, useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, editItem, orderFor, stockOf, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'short1';
/** BigCommerce reports `level` for the item, as the level read applies it. */
const levelRead = (itemId: number, level: number) => applyBigCommerceLevels(stockDeps(database.db), store, [{ itemId, level }]);
beforeAll(async () => {
  await createStore(database.db, store);
});

const provenAgain = async (itemId: number) => (await proveLedger(database.db, store)).filter((m) => m.itemId === itemId);
const balance = async (itemId: number) => {
  const { currentStock, waiting, allocated, shortfall } = await stockOf(database.db, itemId);
  return { currentStock, waiting, allocated, shortfall };
};

/** Stock 3, threshold 10, BigCommerce's level 9; an order for 5 leaves stock −2 with 2 waiting. */
async function shortAfterAnOrder() {
  const item = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 10, bigcommerceLevel: 9 });
  const order = orderFor(item, 5);
  await convergeOrder(stockDeps(database.db), store, order);
  return { item, order };
}

describe('an unexplained shortfall', () => {
  it('when a level write lowers stock below zero with no order waiting, then the units owed to nobody are the shortfall and the ledger proof holds', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 6, backorderThreshold: 10, bigcommerceLevel: 25 });
    await levelRead(item.id, 10);

    expect(await balance(item.id)).toEqual({ currentStock: -9, waiting: 0, allocated: 0, shortfall: 9 });
    expect(await provenAgain(item.id)).toEqual([]);
  });

  it('when a level write lowers stock past what an order waits for, then the order keeps its 2 waiting units and the other 6 are the shortfall', async () => {
    const { item } = await shortAfterAnOrder();
    expect(await balance(item.id)).toEqual({ currentStock: -2, waiting: 2, allocated: 0, shortfall: 0 });
    await levelRead(item.id, 3);

    expect(await balance(item.id)).toEqual({ currentStock: -8, waiting: 2, allocated: 0, shortfall: 6 });
    expect(await provenAgain(item.id)).toEqual([]);
  });

  it('when stock rises again, then the waiting shopper is served first and the shortfall shrinks after', async () => {
    const { item } = await shortAfterAnOrder();
    await levelRead(item.id, 3);
    await levelRead(item.id, 6);
    expect(await balance(item.id)).toEqual({ currentStock: -5, waiting: 0, allocated: 2, shortfall: 5 });

    await levelRead(item.id, 13);
    expect(await balance(item.id)).toEqual({ currentStock: 2, waiting: 0, allocated: 2, shortfall: 0 });
    expect(await provenAgain(item.id)).toEqual([]);
  });

  it('when stock falls, then the newest allocated, unshipped units wait again before anything becomes shortfall', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 0, backorderThreshold: 10, bigcommerceLevel: 10 });
    await convergeOrder(stockDeps(database.db), store, orderFor(item, 4));
    await levelRead(item.id, 14);
    expect(await balance(item.id)).toEqual({ currentStock: 0, waiting: 0, allocated: 4, shortfall: 0 });

    await levelRead(item.id, 8);
    expect(await balance(item.id)).toEqual({ currentStock: -6, waiting: 4, allocated: 0, shortfall: 2 });
    expect(await provenAgain(item.id)).toEqual([]);
  });

  it('while short, when an order arrives, then its units wait beside the shortfall; when it is cancelled, then its units go back', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 6, backorderThreshold: 30, bigcommerceLevel: 25 });
    await levelRead(item.id, 10);
    const order = orderFor(item, 2);
    await convergeOrder(stockDeps(database.db), store, order);
    expect(await balance(item.id)).toEqual({ currentStock: -11, waiting: 2, allocated: 0, shortfall: 9 });

    await convergeOrder(stockDeps(database.db), store, { ...order, statusId: ORDER_STATUS.cancelled });
    expect(await balance(item.id)).toEqual({ currentStock: -9, waiting: 0, allocated: 0, shortfall: 9 });
    expect(await provenAgain(item.id)).toEqual([]);
  });

  it('when an order that took stock is cancelled while short, then the units it gives back reduce the shortfall', async () => {
    const { item, order } = await shortAfterAnOrder();
    await levelRead(item.id, 3);
    await convergeOrder(stockDeps(database.db), store, { ...order, statusId: ORDER_STATUS.cancelled });

    expect(await balance(item.id)).toEqual({ currentStock: -3, waiting: 0, allocated: 0, shortfall: 3 });
    expect(await provenAgain(item.id)).toEqual([]);
  });

  it('when the merchant sets the stock to what is on the shelf, then the shortfall is gone', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 6, backorderThreshold: 10, bigcommerceLevel: 25 });
    await levelRead(item.id, 10);
    await editItem(stockDeps(database.db), store, item.id, { currentStock: 1 });

    expect(await balance(item.id)).toEqual({ currentStock: 1, waiting: 0, allocated: 0, shortfall: 0 });
  });

  it('when a shortfall is corrupted, then the ledger proof finds it and repair counts it afresh, leaving the waiting lines as they were', async () => {
    const { item } = await shortAfterAnOrder();
    await levelRead(item.id, 3);
    await database.db.updateTable('inventory_items').set({ unexplained_shortfall: 50 }).where('id', '=', item.id).execute();

    const mismatches = await provenAgain(item.id);
    expect(mismatches).toEqual([expect.objectContaining({ currentStock: -8, ledgerStock: -8, waiting: 2, shortfall: 50 })]);
    const report = {
      storeHash: store,
      ledger: { mismatches, repaired: 1 },
      orders: { read: 0, changed: 0 },
      selling: { outOfStep: [], reworded: [] },
      profile: [],
      registration: undefined,
      tokenReencrypted: false,
      lines: { released: 0, etasCleared: 0 },
      notesOwed: [],
    };
    expect(describeReport(report)).toEqual([
      `item ${item.id} (${item.sku}): 2 waiting and 50 short did not add up to the 8 units its stock of -8 owes — counted again`,
    ]);
    expect(await repairItem(stockDeps(database.db), store, item.id)).toBe(-8);
    expect(await balance(item.id)).toEqual({ currentStock: -8, waiting: 2, allocated: 0, shortfall: 6 });
    expect(await provenAgain(item.id)).toEqual([]);
  });
});

describe('items already short before the shortfall was recorded', () => {
  it('when the migration adds the column, then each item short of what its waiting lines explain gets that shortfall, and the others none', async () => {
    const old = await openDatabase({ databaseUrl: await createEmptyDatabase(), poolSize: 2 });
    const before = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    try {
      await cp(MIGRATIONS_DIR, before, { recursive: true, filter: (file) => !path.basename(file).startsWith('0021_') });
      await migrate(old.db, before);
      await createStore(old.db, store);
      const short = await assignProduct(old.db, store, { currentStock: -8, backorderThreshold: 10 });
      const owed = await assignProduct(old.db, store, { currentStock: -2, backorderThreshold: 10 });
      for (const item of [short, owed]) await convergeOrder(stockDeps(old.db), store, orderFor(item, 2));
      await old.db.updateTable('inventory_items').set({ current_stock: -8 }).where('id', '=', short.id).execute();
      await old.db.updateTable('inventory_items').set({ current_stock: -2 }).where('id', '=', owed.id).execute();

      expect(await migrate(old.db)).toEqual(['0021_unexplained_shortfall.sql']);
      const rows = await old.db.selectFrom('inventory_items').select(['id', 'unexplained_shortfall']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: short.id, unexplained_shortfall: 6 },
        { id: owed.id, unexplained_shortfall: 0 },
      ]);
    } finally {
      await old.close();
      await rm(before, { recursive: true, force: true });
    }
  });
});
