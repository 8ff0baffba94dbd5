/**
 * Strict limit mode holds only while BigCommerce moves its levels for orders by itself, and BigCommerce sends
 * no event when its inventory settings change: the app reads them again before every switch to strict and at
 * every level poll of a strict store. Settings that rule strict out keep (or put) the store on the flexible
 * limit, which still stops selling at the limit, and the run that did it fails with the setting to change.
 */
import { expect, it } from 'vitest';
import { changeLimitMode } from '../../../server/assignments/limit-mode.service.ts';
import { requestFullLevelSync } from '../../../server/inventory/level-sync.jobs.ts';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { findStore } from '../../../server/stores/stores.repo.ts';
import { finishedJob } from '../../helpers/admin.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';
import { assignThroughJob, levelIn, limitSettings, productNamed } from '../../helpers/strict-store.ts';

const THRESHOLD = 5;

const installed = useInstalledApp();

const store = () => installed.sandbox.store(installed.storeHash);
const db = () => installed.app.database.db;
const modeOf = async () => (await getSettings(db(), installed.storeHash)).inventory.limitMode;
const trackingOf = (productId: number) => (store().product(productId) as { inventory_tracking: string }).inventory_tracking;

/** The store's limit-mode runs so far. */
async function limitModeRuns(): Promise<number> {
  const rows = await db().selectFrom('jobs').select('id').where('store_hash', '=', installed.storeHash).where('kind', '=', 'limit-mode').execute();
  return rows.length;
}

/** Saves `mode` as the Settings page does, then waits for its run. */
async function choose(mode: 'flexible' | 'strict') {
  const change = await changeLimitMode({ db: db(), storeJobs: installed.app.queues.storeJobs }, installed.storeHash, mode);
  return { change, run: await finishedJob(db(), installed.storeHash, 'limit-mode', 60_000) };
}

it('when BigCommerce was set to take stock only on shipping after the app last read its settings, then choosing strict reads them again, keeps the store flexible and says which setting to change', async () => {
  await limitSettings(installed, 'flexible', THRESHOLD);
  const productId = productNamed(installed, 'Laundry Detergent');
  await assignThroughJob(installed, [productId]);
  store().setInventorySettings({ update_stock_behavior: 'order_completed_or_shipped' });

  const { change, run } = await choose('strict');

  expect(change).toBe('changed');
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(
    /The strict limit is off: BigCommerce takes stock only when an order is completed or shipped.*Your products stay on the flexible limit/,
  );
  expect(await modeOf()).toBe('flexible');
  expect(trackingOf(productId)).toBe('none');
  expect((await findStore(db(), installed.storeHash))?.orders_move_level_when_placed).toBe(false);
}, 120_000);

it('when a strict store stops giving stock back on cancelling, then the next level poll switches it to flexible, and once the setting is back, choosing strict switches it again', async () => {
  store().setInventorySettings({ update_stock_behavior: 'order_placed', refund_order_stock_adjustment: true });
  await limitSettings(installed, 'strict', THRESHOLD);
  const productId = productNamed(installed, 'Dustpan & Brush');
  const [item] = await assignThroughJob(installed, [productId]);
  expect(trackingOf(productId)).toBe('product');
  const runsBefore = await limitModeRuns();

  store().setInventorySettings({ refund_order_stock_adjustment: false });
  await requestFullLevelSync(installed.app.queues.levels, installed.storeHash);
  await expect.poll(limitModeRuns, { timeout: 30_000 }).toBeGreaterThan(runsBefore);
  const run = await finishedJob(db(), installed.storeHash, 'limit-mode', 60_000);

  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/does not give stock back when an order is cancelled.*switched \d+ products? back to the flexible limit/);
  expect(await modeOf()).toBe('flexible');
  expect(trackingOf(productId)).toBe('none');

  // Put right in BigCommerce: the settings last read still refuse, so saving strict reads them again.
  store().setInventorySettings({ refund_order_stock_adjustment: true });
  const again = await choose('strict');
  expect(again.change).toBe('rechecking');
  expect(again.run.status).toBe('succeeded');
  expect(await modeOf()).toBe('strict');
  expect(trackingOf(productId)).toBe('product');
  expect(levelIn(installed, productId)).toBe(item!.current_stock + THRESHOLD);
}, 180_000);
