/**
 * A level read asks whether order events of the store wait to be applied only when an item it reads was held
 * strictly (now or before): only there has BigCommerce counted orders in the level the app may not have yet.
 * Level reads of a flexible store (the storefront's products among them) pay no extra query.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyBigCommerceLevels } from '../../../server/inventory/level-sync.service.ts';
import { markStrict } from '../../../server/inventory/strict-levels.repo.ts';
import { recordingStatements, useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, stockDeps, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'pending1';

beforeAll(async () => {
  await createStore(database.db, store);
  // An order BigCommerce took whose event the app has recorded, not yet applied.
  await database.db
    .insertInto('webhook_events')
    .values({ store_hash: store, scope: 'store/order/created', hash: 'order-1', event_created_at: 1, payload: '{}' })
    .execute();
});

const recorded = () => recordingStatements(database.db);
const askedForPendingOrders = (statements: string[]) => statements.some((statement) => statement.includes('webhook_events'));

describe('a level read and the order events waiting to be applied', () => {
  it('when no item read was ever held strictly, then the read does not ask about waiting order events and applies the level', async () => {
    const item = await assignProduct(database.db, store, { currentStock: 4, backorderThreshold: 5 });
    const { db, statements } = recorded();
    const result = await applyBigCommerceLevels(stockDeps(db), store, [{ itemId: item.id, level: 6 }]);
    expect(askedForPendingOrders(statements)).toBe(false);
    expect(result).toEqual({ changed: [item.id], deferred: [] });
    expect((await stockOf(database.db, item.id)).currentStock).toBe(6);
  });

  it('when a read item is held strictly and an order event waits, then the read asks: the strict item’s level waits for the order, the flexible item’s is applied', async () => {
    const flexible = await assignProduct(database.db, store, { currentStock: 4, backorderThreshold: 5 });
    const strict = await assignProduct(database.db, store, { currentStock: 4, backorderThreshold: 5 });
    await markStrict(database.db, store, [strict.id], true, new Date(Date.now() - 60_000));
    const { db, statements } = recorded();
    const result = await applyBigCommerceLevels(stockDeps(db), store, [
      { itemId: flexible.id, level: 6 },
      { itemId: strict.id, level: 9 },
    ]);
    expect(askedForPendingOrders(statements)).toBe(true);
    expect(result).toEqual({ changed: [flexible.id], deferred: [strict.id] });
    expect((await stockOf(database.db, strict.id)).currentStock).toBe(4);
  });
});
