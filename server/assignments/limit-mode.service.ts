/**
 * The store's limit mode (DESIGN.md flow 11), as the Settings page changes it: saved, then every assigned
 * product is moved over by the limit-mode job. Strict mode needs BigCommerce to move levels for orders by
 * itself — take the units when an order is placed, give them back when it is cancelled, move them when it is
 * edited — or its level would drift from the salable quantity with every order: a store set otherwise is
 * refused with the reason.
 */
import type { Queue } from 'bullmq';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findOpenJob, isStale, latestJob } from '../jobs/jobs.repo.ts';
import { queueStoreJob } from '../jobs/jobs.service.ts';
import { getSettings, updateSettings } from '../settings/settings.service.ts';
import { findStore } from '../stores/stores.repo.ts';
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
function strictRefusal(store: { orders_move_level_when_placed: boolean; cancels_return_units: boolean; edits_move_level: boolean } | undefined): string {
  if (!store) return 'The store is not installed.';
  if (!store.orders_move_level_when_placed) {
    return 'BigCommerce takes stock only when an order is completed or shipped (Inventory settings, “Adjust stock levels when”): its level would allow more than your limit until then. Set it to “order is placed” to use the strict limit.';
  }
  if (!store.cancels_return_units) {
    return 'BigCommerce does not give stock back when an order is cancelled or refunded (Inventory settings): its level would fall below your salable quantity with every cancellation. Turn that setting on to use the strict limit.';
  }
  if (!store.edits_move_level) {
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
  return { mode, strict: mode === 'strict', nativeBackorders: store?.native_backorders ?? false, strictRefused: strictRefusal(store), unswitched };
}

/** What saving a limit mode did: switched to it, took up the products an earlier run left, or nothing. */
export type LimitModeChange = 'changed' | 'resumed' | 'unchanged';

/**
 * Saves the mode and queues the switch of every assigned product. The mode it already was queues a run only
 * for products an earlier run left in the other mode (it failed, or Redis lost it): saving again is how the
 * merchant takes them up. When the switch cannot be queued (Redis away), the mode goes back before the error
 * reaches the merchant: saved without its job, nothing would switch the products.
 */
export async function changeLimitMode(deps: { db: Db; storeJobs: Queue }, storeHash: string, mode: LimitMode): Promise<LimitModeChange> {
  const view = await limitModeView(deps.db, storeHash);
  if (mode === 'strict' && view.strictRefused) throw new AppError('validation', view.strictRefused);
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
  return 'changed';
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
