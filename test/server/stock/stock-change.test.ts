/**
 * Issue 12: every stock change goes through one function (`changeStock`), which moves stock and writes the
 * ledger, and decides for itself what follows the commit: which items selling control must check, and
 * whether the storefront's cached answers drop.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { editItems, type ItemEdit } from '../../../server/inventory/item-edits.service.ts';
import { repairItem } from '../../../server/inventory/ledger.service.ts';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, editItem, orderFor, recordingEffects, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'change1';
beforeAll(async () => {
  await createStore(database.db, store);
});

const movementsOf = (itemId: number) =>
  database.db.selectFrom('stock_movements').select(['delta', 'stock_after', 'reason']).where('item_id', '=', itemId).orderBy('id').execute();

/** Records that the app stopped the item's selling and BigCommerce took it. */
async function stopped(itemId: number, productId: number) {
  await database.db
    .insertInto('purchasing_holds')
    .values({ store_hash: store, item_id: itemId, product_id: productId, variant_id: productId, disabled_by_app: true, applied_at: new Date() })
    .execute();
}

describe('what follows a stock change is decided where stock changes', () => {
  it('when an order takes the last salable unit, then its item gets a selling check and the storefront cache drops', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 0 });
    const { effects, checked, dropped } = recordingEffects();
    await convergeOrder(stockDeps(database.db, effects), store, orderFor(item, 1));
    expect(checked).toEqual([item.id]);
    expect(dropped).toEqual([store]);
  });

  it('when the same order event comes again, then nothing moves and the cache stays; its item is checked again only while its selling is out of step', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 1, backorderThreshold: 0 });
    const order = orderFor(item, 1);
    await convergeOrder(stockDeps(database.db), store, order);

    // The check the first delivery asked for was lost: the repeat asks again, and drops nothing.
    const lost = recordingEffects();
    await convergeOrder(stockDeps(database.db, lost.effects), store, order);
    expect(lost).toMatchObject({ checked: [item.id], dropped: [] });

    // Once selling is stopped (in step), a repeat asks for nothing.
    await stopped(item.id, item.product_id);
    const inStep = recordingEffects();
    await convergeOrder(stockDeps(database.db, inStep.effects), store, order);
    expect(inStep).toMatchObject({ checked: [], dropped: [] });
    expect((await stockOf(database.db, item.id)).currentStock).toBe(0);
  });

  it('when a bulk edit changes items that stay above 0 and carry no hold, then no selling check is asked for, and the cache drops once', async () => {
    const items = await Promise.all([5, 6, 7].map((stock) => assignProduct(database.db, store, { currentStock: stock, backorderThreshold: 2 })));
    const { effects, checked, dropped } = recordingEffects();
    const edits: ItemEdit[] = items.map((item) => ({ itemId: item.id, label: item.sku, values: { currentStock: 3, incomingStock: 4 } }));
    await editItems(stockDeps(database.db, effects), store, edits, { reason: 'import' });
    expect(checked).toEqual([]);
    expect(dropped).toEqual([store]);
  });

  it.each([
    { when: 'an edit raises an item whose selling the app stopped above 0', from: 0, to: 4 },
    { when: 'an edit moves an item that stays above 0 but still carries a hold', from: 2, to: 5 },
  ])('when $when, then selling is checked to resume it', async ({ from, to }) => {
    const item = await assignProduct(database.db, store, { currentStock: from, backorderThreshold: 0 });
    await stopped(item.id, item.product_id);
    const { effects, checked } = recordingEffects();
    await editItem(stockDeps(database.db, effects), store, item.id, { currentStock: to });
    expect(checked).toEqual([item.id]);
  });
});

describe('stock moves in SQL, with its ledger', () => {
  it('when two lines of one order take the same item, then each line writes its own movement with the stock after it', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 3, backorderThreshold: 10 });
    const order = orderFor(item, 2);
    const second = { ...order.lines[0]!, orderProductId: order.lines[0]!.orderProductId + 1, quantity: 4 };
    const { moved } = await convergeOrder(stockDeps(database.db), store, { ...order, lines: [...order.lines, second] });

    expect(moved.map((line) => [line.fromStock, line.backordered, line.stockAfter])).toEqual([
      [2, 0, 1],
      [1, 3, -3],
    ]);
    expect(await movementsOf(item.id)).toEqual([
      { delta: -2, stock_after: 1, reason: 'order' },
      { delta: -4, stock_after: -3, reason: 'order' },
    ]);
    expect(await stockOf(database.db, item.id)).toMatchObject({ currentStock: -3, waiting: 3 });
  });

  it('when an edit of 150 items is posted again with its key (a form sent twice), then each item moves once', async () => {
    const items = await Promise.all(Array.from({ length: 150 }, () => assignProduct(database.db, store, { currentStock: 2, backorderThreshold: 0 })));
    const edits: ItemEdit[] = items.map((item) => ({
      itemId: item.id,
      label: item.sku,
      values: { currentStock: 9 },
      shown: { currentStock: 2, backorderThreshold: 0, incomingStock: 0, backInStockDate: null },
    }));
    await editItems(stockDeps(database.db), store, edits, { reason: 'manual', runKey: 'bulk-page-1' });
    const again = await editItems(stockDeps(database.db), store, edits, { reason: 'manual', runKey: 'bulk-page-1' });

    expect(again.stockChanged).toBe(0);
    const stocks = await database.db
      .selectFrom('inventory_items')
      .select('current_stock')
      .where(
        'id',
        'in',
        items.map((i) => i.id),
      )
      .execute();
    expect(new Set(stocks.map((s) => s.current_stock))).toEqual(new Set([9]));
    expect(await movementsOf(items[0]!.id)).toEqual([{ delta: 7, stock_after: 9, reason: 'manual' }]);
  });

  it('when BigCommerce’s level is read for the first time, then it is only recorded; the next read moves stock by what the level moved', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 4, backorderThreshold: 0, bigcommerceLevel: null });
    expect((await applyBigCommerceLevels(stockDeps(database.db), store, [{ itemId: item.id, level: 20 }])).changed).toEqual([]);
    expect((await applyBigCommerceLevels(stockDeps(database.db), store, [{ itemId: item.id, level: 23 }])).changed).toEqual([item.id]);

    expect(await movementsOf(item.id)).toEqual([{ delta: 3, stock_after: 7, reason: 'sync' }]);
    const row = await database.db.selectFrom('inventory_items').select('bigcommerce_level').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row.bigcommerce_level).toBe(23);
  });

  it('when reconcile repairs an item, then its stock comes back from the ledger without a movement of its own, and what follows is asked for', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 2, backorderThreshold: 0 });
    await convergeOrder(stockDeps(database.db), store, orderFor(item, 2));
    await database.db.updateTable('inventory_items').set({ current_stock: 30 }).where('id', '=', item.id).execute();

    const { effects, checked, dropped } = recordingEffects();
    expect(await repairItem(stockDeps(database.db, effects), store, item.id)).toBe(0);
    expect(await movementsOf(item.id)).toEqual([{ delta: -2, stock_after: 0, reason: 'order' }]);
    expect({ checked, dropped }).toEqual({ checked: [item.id], dropped: [store] });
  });
});
