/**
 * Strict limit mode needs BigCommerce to move its levels for orders by itself (server/assignments/
 * limit-mode.service.ts): when the store's inventory settings say otherwise, choosing strict is refused with
 * the setting to change, and nothing is saved or queued.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { changeLimitMode } from '../../../server/assignments/limit-mode.service.ts';
import { inventoryBehaviourOf } from '../../../server/bigcommerce/inventory-levels.ts';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const noQueue = { add: () => Promise.reject(new Error('nothing may be queued')) } as unknown as Queue;

describe('strict limit mode refused by the store’s inventory settings', () => {
  it('when BigCommerce does not take stock on placing, give it back on cancelling, or move it on editing an order, then strict is refused naming the setting', async () => {
    expect(inventoryBehaviourOf({ update_stock_behavior: 'order_completed_or_shipped' }).ordersMoveLevelWhenPlaced).toBe(false);
    expect(inventoryBehaviourOf({ refund_order_stock_adjustment: false }).cancelsReturnUnits).toBe(false);
    expect(inventoryBehaviourOf({ edit_order_stock_adjustment: false }).editsMoveLevel).toBe(false);
    expect(inventoryBehaviourOf({})).toMatchObject({ ordersMoveLevelWhenPlaced: true, cancelsReturnUnits: true, editsMoveLevel: true });

    const cases = [
      { setting: { orders_move_level_when_placed: false }, reason: /only when an order is completed or shipped/ },
      { setting: { cancels_return_units: false }, reason: /does not give stock back when an order is cancelled/ },
      { setting: { edits_move_level: false }, reason: /does not adjust stock when an order is edited/ },
    ];
    for (const [index, { setting, reason }] of cases.entries()) {
      const storeHash = await createStore(database.db, `refuse${index}`);
      await database.db.updateTable('stores').set(setting).where('store_hash', '=', storeHash).execute();
      await expect(changeLimitMode({ db: database.db, storeJobs: noQueue }, storeHash, 'strict')).rejects.toThrow(reason);
      expect((await getSettings(database.db, storeHash)).inventory.limitMode).toBe('flexible');
    }
  });
});
