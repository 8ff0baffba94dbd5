/**
 * Strict limit mode needs BigCommerce to move its levels for orders by itself (server/assignments/
 * limit-mode.service.ts): each inventory setting that says otherwise is named, with what to change. The
 * Settings page does not refuse strict on the settings last read — the merchant may just have changed them
 * in BigCommerce — but queues its run, which reads them again (strict-settings-changed.test.ts).
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { changeLimitMode, strictRefusal } from '../../../server/assignments/limit-mode.service.ts';
import { inventoryBehaviourOf } from '../../../server/bigcommerce/inventory-levels.ts';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();

describe('strict limit mode refused by the store’s inventory settings', () => {
  it('when BigCommerce does not take stock on placing, give it back on cancelling, or move it on editing an order, then the refusal names the setting', () => {
    const cases = [
      { settings: { update_stock_behavior: 'order_completed_or_shipped' }, reason: /only when an order is completed or shipped/ },
      { settings: { refund_order_stock_adjustment: false }, reason: /does not give stock back when an order is cancelled/ },
      { settings: { edit_order_stock_adjustment: false }, reason: /does not adjust stock when an order is edited/ },
    ];
    for (const { settings, reason } of cases) expect(strictRefusal(inventoryBehaviourOf(settings))).toMatch(reason);
    expect(inventoryBehaviourOf({})).toMatchObject({ ordersMoveLevelWhenPlaced: true, cancelsReturnUnits: true, editsMoveLevel: true });
    expect(strictRefusal(inventoryBehaviourOf({}))).toBe('');
  });

  it('when the settings last read rule strict out, then choosing it is saved and its run queued to read them again', async () => {
    const storeHash = await createStore(database.db, 'refuserecheck');
    await database.db.updateTable('stores').set({ cancels_return_units: false }).where('store_hash', '=', storeHash).execute();
    const added: string[] = [];
    const queue = { add: (name: string) => Promise.resolve(void added.push(name)) } as unknown as Queue;

    expect(await changeLimitMode({ db: database.db, storeJobs: queue }, storeHash, 'strict')).toBe('rechecking');
    expect(added).toEqual(['limit-mode']);
    expect((await getSettings(database.db, storeHash)).inventory.limitMode).toBe('strict');
  });
});
