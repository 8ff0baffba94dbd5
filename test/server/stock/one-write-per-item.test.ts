/**
 * A change that moves an item's stock and sets its plan (an import row with current_stock and a threshold)
 * writes the item's row once, in the move's statement: one new row version per item, not two. Plans that
 * come without a move, or with one of an item's several changes, are written on their own, as before.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { moveStock } from '../../../server/inventory/stock-moves.repo.ts';
import { changeStock } from '../../../server/inventory/stock.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, stockDeps } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'onewrite1';
/** More than a small chunk (100), so the statement for many rows is the one counted. */
const ITEMS = 300;
let itemIds: number[];

beforeAll(async () => {
  await createStore(database.db, store);
  itemIds = [];
  for (let i = 0; i < ITEMS; i++) itemIds.push((await assignProduct(database.db, store, { currentStock: 5, backorderThreshold: 0 })).id);
});

const itemsOf = (ids: number[]) =>
  database.db
    .selectFrom('inventory_items')
    .select(['id', 'current_stock', 'backorder_threshold', 'incoming_stock', 'back_in_stock_date'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();

describe('stock and plan in one write', () => {
  it('when 300 items’ stock moves and their plans change, then each item’s row is updated once and holds both', async () => {
    const updates = await database.db.transaction().execute(async (trx) => {
      const counted = async () => {
        const { rows } = await sql<{ n: string }>`
          select coalesce(sum(n_tup_upd), 0) as n from pg_stat_xact_user_tables where relname = 'inventory_items'`.execute(trx);
        return Number(rows[0]!.n);
      };
      const before = await counted();
      const { planned } = await moveStock(
        trx,
        store,
        itemIds.map((itemId, index) => ({
          index,
          itemId,
          move: { to: 9 },
          key: null,
          orderId: null,
          note: null,
          plan: { backorderThreshold: 4, incomingStock: 2 },
        })),
        { reason: 'import', key: 'one-write', note: null },
      );
      expect(planned).toHaveLength(ITEMS);
      return (await counted()) - before;
    });
    expect(updates).toBe(ITEMS);
    for (const item of await itemsOf(itemIds)) expect(item).toMatchObject({ current_stock: 9, backorder_threshold: 4, incoming_stock: 2 });
  });

  it('when a change sets a plan without moving stock, moves none, or moves stock without a plan, then each is written as asked', async () => {
    const [planOnly, unmoved, moveOnly, both] = itemIds.slice(0, 4) as [number, number, number, number];
    await changeStock(stockDeps(database.db), store, {
      reason: 'manual',
      itemIds: [planOnly, unmoved, moveOnly, both],
      decide: () => [
        { itemId: planOnly, plan: { backorderThreshold: 11 } },
        { itemId: unmoved, stock: { by: 0 }, plan: { incomingStock: 6, backInStockDate: '2099-03-01' } },
        { itemId: moveOnly, stock: { by: -2 } },
        { itemId: both, stock: { to: 1 }, plan: { backorderThreshold: null } },
      ],
    });
    const [a, b, c, d] = await itemsOf([planOnly, unmoved, moveOnly, both]);
    expect(a).toMatchObject({ current_stock: 9, backorder_threshold: 11, incoming_stock: 2 });
    expect(b).toMatchObject({ current_stock: 9, incoming_stock: 6, backorder_threshold: 4 });
    expect(String(b!.back_in_stock_date)).toMatch(/2099-03-01|Mar 01 2099/);
    expect(c).toMatchObject({ current_stock: 7, backorder_threshold: 4 });
    expect(d).toMatchObject({ current_stock: 1, backorder_threshold: null });
  });

  it('when an item has several changes and one carries a plan, then every move applies and the plan is written too', async () => {
    const itemId = itemIds[10]!;
    await changeStock(stockDeps(database.db), store, {
      reason: 'manual',
      itemIds: [itemId],
      decide: () => [
        { itemId, stock: { by: -3 }, plan: { backorderThreshold: 8 }, key: 'several-1' },
        { itemId, stock: { by: -1 }, key: 'several-2' },
      ],
    });
    const [item] = await itemsOf([itemId]);
    expect(item).toMatchObject({ current_stock: 5, backorder_threshold: 8 });
  });
});
