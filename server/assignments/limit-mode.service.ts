/**
 * The store's limit mode (DESIGN.md flow 11), as the Settings page changes it: saved, then every assigned
 * product is moved over by the limit-mode job. Strict mode needs BigCommerce to move levels for orders by
 * itself — take the units when an order is placed, give them back when it is cancelled, move them when it is
 * edited — or its level would drift from the salable quantity with every order. BigCommerce sends no event
 * when those settings change, so they are read again before every switch to strict and at every level poll
 * of a strict store; settings that rule strict out keep (or put) the store on the flexible limit, which
 * still stops selling at the limit, and the run that did it fails with the reason.
 */
import type { Queue } from 'bullmq';
import type { InventoryBehaviour, StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { findOpenJob, isStale, latestJob } from '../jobs/jobs.repo.ts';
import { queueStoreJob } from '../jobs/jobs.service.ts';
import { getSettings, updateSettings } from '../settings/settings.service.ts';
import { findStore, inventoryBehaviourOfStore, saveInventoryBehaviour } from '../stores/stores.repo.ts';
import { countOutOfMode } from './assignments.repo.ts';

export type LimitMode = 'flexible' | 'strict';

/** What the Settings page says about the store's limit: the mode, and which backorder model BigCommerce has on. */
export interface LimitModeView {
  mode: LimitMode;
  strict: boolean;
  nativeBackorders: boolean;
  /** Why strict mode cannot be chosen now; empty when it can. */
  strictRefused: string;
  /** Products not yet in the mode while no run is switching them (a run failed, or a variant came later): saving the mode switches them. */
  unswitched: number;
}

/** Why BigCommerce's inventory settings rule strict mode out, or '' when they allow it. */
export function strictRefusal(inventory: InventoryBehaviour | undefined): string {
  if (!inventory) return 'The store is not installed.';
  if (!inventory.ordersMoveLevelWhenPlaced) {
    return 'BigCommerce takes stock only when an order is completed or shipped (Inventory settings, “Adjust stock levels when”): its level would allow more than your limit until then. Set it to “order is placed” to use the strict limit.';
  }
  if (!inventory.cancelsReturnUnits) {
    return 'BigCommerce does not give stock back when an order is cancelled or refunded (Inventory settings): its level would fall below your salable quantity with every cancellation. Turn that setting on to use the strict limit.';
  }
  if (!inventory.editsMoveLevel) {
    return 'BigCommerce does not adjust stock when an order is edited (Inventory settings): its level would drift from your salable quantity with every edited order. Turn that setting on to use the strict limit.';
  }
  return '';
}

/** The Settings page's limit section. */
export async function limitModeView(db: Db, storeHash: string): Promise<LimitModeView> {
  const [settings, store, run] = await Promise.all([getSettings(db, storeHash), findStore(db, storeHash), findOpenJob(db, storeHash, 'limit-mode')]);
  const mode = settings.inventory.limitMode;
  const switching = run !== undefined && !isStale(run);
  const unswitched = switching ? 0 : await countOutOfMode(db, storeHash, mode === 'strict');
  return {
    mode,
    strict: mode === 'strict',
    nativeBackorders: store?.native_backorders ?? false,
    strictRefused: strictRefusal(store && inventoryBehaviourOfStore(store)),
    unswitched,
  };
}

/**
 * What saving a limit mode did: switched to it, took up the products an earlier run left, or nothing; `rechecking`:
 * strict, chosen while the settings last read ruled it out, waits for its run to read them again.
 */
export type LimitModeChange = 'changed' | 'rechecking' | 'resumed' | 'unchanged';

/**
 * Saves the mode and queues the switch of every assigned product. The mode it already was queues a run only
 * for products an earlier run left in the other mode (it failed, or Redis lost it): saving again is how the
 * merchant takes them up. When the switch cannot be queued (Redis away), the mode goes back before the error
 * reaches the merchant: saved without its job, nothing would switch the products. Strict is not refused here
 * on the settings last read (a merchant may just have changed them): its run reads them again first.
 */
export async function changeLimitMode(deps: { db: Db; storeJobs: Queue }, storeHash: string, mode: LimitMode): Promise<LimitModeChange> {
  const view = await limitModeView(deps.db, storeHash);
  if (view.mode === mode) {
    if (view.unswitched === 0) return 'unchanged';
    await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'limit-mode', 'Waiting to switch the products not yet switched');
    return 'resumed';
  }
  await updateSettings(deps.db, storeHash, { inventory: { limitMode: mode } });
  try {
    await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'limit-mode', 'Waiting to switch the assigned products in BigCommerce');
  } catch (error) {
    await updateSettings(deps.db, storeHash, { inventory: { limitMode: view.mode } });
    throw error;
  }
  return mode === 'strict' && view.strictRefused ? 'rechecking' : 'changed';
}

/** BigCommerce's inventory settings read now and saved, and why they rule strict out ('' when they do not). */
export async function readStrictSettings(db: Db, connection: StoreConnection, storeHash: string): Promise<{ inventory: InventoryBehaviour; refused: string }> {
  const inventory = await connection.inventoryBehaviour();
  await saveInventoryBehaviour(db, storeHash, inventory);
  return { inventory, refused: strictRefusal(inventory) };
}

/**
 * The periodic level poll's look at a strict store's inventory settings (BigCommerce sends no event when they
 * change): saved, and settings that now rule strict out get a limit-mode run, which switches the store back to
 * flexible (runLimitModeJob) rather than leave BigCommerce selling past a limit it no longer holds. True when
 * a run was queued.
 */
export async function watchStrictSettings(deps: { db: Db; storeJobs: Queue }, connection: StoreConnection, storeHash: string): Promise<boolean> {
  if ((await getSettings(deps.db, storeHash)).inventory.limitMode !== 'strict') return false;
  const { refused } = await readStrictSettings(deps.db, connection, storeHash);
  if (!refused) return false;
  await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'limit-mode', `Switching to the flexible limit: ${refused}`);
  return true;
}

/**
 * Takes up a switch nobody is doing (resumePendingWork): products out of the store's mode while no run is
 * switching them — its run lost with Redis (flushed, the job removed: open and silent for an hour), never
 * queued, or a variant added since — get a run again. Not after a run that failed on its own: it would fail
 * again at every page view; the Settings page says how many products it left, and saving the mode again is
 * the merchant's retry. Nor towards strict while BigCommerce's settings rule it out. True when a run was queued.
 */
export async function resumeLimitMode(deps: { db: Db; storeJobs: Queue }, storeHash: string): Promise<boolean> {
  const last = await latestJob(deps.db, storeHash, 'limit-mode');
  if (last?.status === 'failed' && last.started_at !== null) return false;
  // Most stores never switch: flexible from the start, no product can be in another mode, and every view of
  // Assigned Products is spared counting them.
  if (!last && (await getSettings(deps.db, storeHash)).inventory.limitMode === 'flexible') return false;
  const view = await limitModeView(deps.db, storeHash);
  if (view.unswitched === 0 || (view.strict && view.strictRefused)) return false;
  const { alreadyOpen } = await queueStoreJob(
    deps.db,
    deps.storeJobs,
    storeHash,
    'limit-mode',
    `Resuming: switching the products not yet switched to the ${view.mode} limit`,
  );
  return !alreadyOpen;
}
