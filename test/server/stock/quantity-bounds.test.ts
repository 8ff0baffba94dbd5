/**
 * Each stock column fits a PostgreSQL integer, their sums need not: a stock raised in BigCommerce beside a
 * high threshold, or an arrival on a high stock. Nothing that reads such an item fails (orders, selling
 * checks, the sweep across stores); forms refuse incoming stock whose arrival would pass the largest
 * quantity; and a restock that still would (a level raised in BigCommerce since) waits instead of failing
 * every store's restock after it.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors.ts';
import { receiveDueIncoming } from '../../../server/inventory/incoming.service.ts';
import { outOfStepAmong, recentlyOutOfStep, sellingCandidates, sellingOutOfStep } from '../../../server/inventory/selling-candidates.repo.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { todayInStore } from '../../../server/stores/stores.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, editItem, orderFor, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const deps = () => stockDeps(database.db);
const item = (id: number) => database.db.selectFrom('inventory_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** Stock as a level read from BigCommerce can leave it: past what a form accepts. */
const setStock = (id: number, currentStock: number) =>
  database.db.updateTable('inventory_items').set({ current_stock: currentStock }).where('id', '=', id).execute();

beforeAll(async () => {
  for (const store of ['aabounds', 'abbroken', 'zzbounds']) await createStore(database.db, store);
});

describe('sums past an integer', () => {
  it('when stock of 2,000,000,000 sits beside a threshold of 1,000,000,000, then selling checks and an order go through', async () => {
    const big = await assignProduct(database.db, 'aabounds', { currentStock: 0, backorderThreshold: 1_000_000_000 });
    await setStock(big.id, 2_000_000_000);
    expect(await sellingCandidates(database.db, 'aabounds', [big.id])).toEqual([]);
    expect(await outOfStepAmong(database.db, 'aabounds', [big.id])).toEqual([]);
    expect(await sellingOutOfStep(database.db, 'aabounds')).toEqual([]);
    expect(await recentlyOutOfStep(database.db, new Date(Date.now() - 60_000))).toBeInstanceOf(Map);

    await convergeOrder(deps(), 'aabounds', orderFor(big, 2));
    expect((await stockOf(database.db, big.id)).currentStock).toBe(1_999_999_998);
  });
});

describe('incoming stock near the largest quantity', () => {
  it('when a form gives incoming stock whose arrival would pass 1,000,000,000, then nothing is saved and the field is named', async () => {
    const near = await assignProduct(database.db, 'aabounds', { currentStock: 600_000_000, backorderThreshold: 0 });
    const refused = await editItem(deps(), 'aabounds', near.id, { incomingStock: 500_000_000 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).details?.problems).toEqual([
      {
        field: `${near.sku}, Incoming stock`,
        message:
          'current stock 600,000,000 and incoming stock 500,000,000 would make 1,100,000,000 when it arrives, more than 1,000,000,000: lower one of them',
      },
    ]);
    expect(await item(near.id)).toMatchObject({ incoming_stock: 0 });
    // Raising the stock under incoming already there is named on the stock.
    await editItem(deps(), 'aabounds', near.id, { incomingStock: 300_000_000 });
    const raised = await editItem(deps(), 'aabounds', near.id, { currentStock: 800_000_000 }).catch((error: unknown) => error);
    expect((raised as AppError).details?.problems).toEqual([expect.objectContaining({ field: `${near.sku}, current stock` })]);
    expect(await item(near.id)).toMatchObject({ current_stock: 600_000_000, incoming_stock: 300_000_000 });
  });

  it('when an arrival would still pass it (a level raised in BigCommerce since), then it waits, and the other stores’ restocks happen', async () => {
    const today = await todayInStore(database.db, 'aabounds');
    const high = await assignProduct(database.db, 'aabounds', { currentStock: 0, backorderThreshold: 0 });
    await editItem(deps(), 'aabounds', high.id, { incomingStock: 1_000_000_000, backInStockDate: today });
    await setStock(high.id, 1_200_000_000);
    const other = await assignProduct(database.db, 'zzbounds', { currentStock: 0, backorderThreshold: 5 });
    await editItem(deps(), 'zzbounds', other.id, { incomingStock: 4, backInStockDate: today });

    expect(await receiveDueIncoming(deps())).toBe(1);
    expect(await item(other.id)).toMatchObject({ current_stock: 4, incoming_stock: 0 });
    expect(await item(high.id)).toMatchObject({ current_stock: 1_200_000_000, incoming_stock: 1_000_000_000, back_in_stock_date: today });
  });

  it('when one store’s restock fails, then the stores after it still get theirs, and the run fails naming that store', async () => {
    const today = await todayInStore(database.db, 'abbroken');
    const broken = await assignProduct(database.db, 'abbroken', { currentStock: 0, backorderThreshold: 0 });
    await editItem(deps(), 'abbroken', broken.id, { incomingStock: 3, backInStockDate: today });
    const after = await assignProduct(database.db, 'zzbounds', { currentStock: 0, backorderThreshold: 0 });
    await editItem(deps(), 'zzbounds', after.id, { incomingStock: 2, backInStockDate: today });
    // The database refuses that one store's writes (a disk, a lock timeout: any failure of its own).
    await sql`create function refuse_abbroken() returns trigger language plpgsql as $$
      begin if new.store_hash = 'abbroken' then raise exception 'refused for the test'; end if; return new; end $$`.execute(database.db);
    await sql`create trigger refuse_abbroken before update on inventory_items for each row execute function refuse_abbroken()`.execute(database.db);
    try {
      await expect(receiveDueIncoming(deps())).rejects.toThrow(
        /incoming stock not received in 1 store\(s\), received in the others: abbroken \(.*refused for the test/,
      );
    } finally {
      await sql`drop trigger refuse_abbroken on inventory_items`.execute(database.db);
      await sql`drop function refuse_abbroken()`.execute(database.db);
    }
    expect(await item(after.id)).toMatchObject({ current_stock: 2, incoming_stock: 0 });
    expect(await item(broken.id)).toMatchObject({ current_stock: 0, incoming_stock: 3 });
    expect(await receiveDueIncoming(deps())).toBe(1);
  });
});
