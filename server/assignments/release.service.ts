/**
 * "Release all products", the step before uninstalling: uninstalling revokes the app's token, after which
 * it can no longer hand inventory tracking back to BigCommerce. For every assigned product, tracking is
 * restored in BigCommerce first (to its saved mode, with the current stock as level — never below 0 —
 * unless the store's levels are maintained externally), the variants the app disabled when selling
 * stopped are made purchasable again and native backorder limits the app wrote go back to 0, then the
 * assignment is released in the database.
 * A failure stops the run with the products before it released in both places and the rest untouched;
 * the job's retry carries on from there.
 */
import type { InventoryItem } from '../db/schema.ts';
import type { StoreConnection, TrackingRestore } from '../bigcommerce/index.ts';
import type { Progress, StoreJobData, StoreJobDeps } from '../jobs/jobs.service.ts';
import { getSettings } from '../settings/settings.service.ts';
import { enableOnly, handBackLiftingHolds } from './app-holds.ts';
import { activeAssignments, heldAssignment, releaseAssignment, type ActiveAssignment } from './assignments.repo.ts';
import { handBackLimits } from './native-limits.ts';

export const RELEASE_ALL_REASON = 'release-all';

/** The levels written back with tracking: current stock, never below 0. */
export function levelsOf(items: readonly InventoryItem[]): TrackingRestore['levels'] {
  return items.map((item) => ({ variantId: item.variant_id, level: Math.max(0, item.current_stock) }));
}

async function restore(connection: StoreConnection, { assignment, items }: ActiveAssignment, writeLevels: boolean): Promise<void> {
  // Tracking was off before the app took the product over: there is nothing to hand back.
  if (assignment.saved_inventory_tracking === 'none') return;
  await connection.restoreTracking({
    productId: assignment.product_id,
    mode: assignment.saved_inventory_tracking,
    ...(writeLevels ? { levels: levelsOf(items) } : {}),
  });
}

/**
 * Releases one product; false when someone else released it first.
 *
 * A product still `assigning` may be in the assign job's hands at this very moment: store jobs run two at
 * a time, and serialising a store's jobs would let one long import hold a worker slot that every store
 * shares. So the two meet on the assignment row instead. Release all hands the tracking back first when
 * the app may already have turned it off (the mode only: the levels are still BigCommerce's own), then
 * releases the product only if it is still `assigning`. The assign job can then no longer mark it active,
 * and hands back the tracking it turned off meanwhile (assign.job.ts). A product that became active in
 * between is released like any active one.
 */
async function releaseOne(deps: StoreJobDeps, connection: StoreConnection, storeHash: string, entry: ActiveAssignment, writeLevels: boolean): Promise<boolean> {
  if (entry.assignment.state === 'assigning') {
    if (entry.assignment.settings_saved) await restore(connection, entry, false);
    await handBackLiftingHolds(deps.db, connection, storeHash, [entry], enableOnly);
    if (await releaseAssignment(deps.db, storeHash, entry.assignment.id, RELEASE_ALL_REASON, 'assigning')) return true;
  }
  // Read again now, not when the run began: a store's run takes minutes, and the level handed back must
  // count the orders converged meanwhile.
  const current = await heldAssignment(deps.db, storeHash, entry.assignment.id);
  if (!current) return false;
  await restore(connection, current, writeLevels);
  await handBackLiftingHolds(deps.db, connection, storeHash, [current], enableOnly);
  await handBackLimits(
    deps.db,
    connection,
    storeHash,
    current.items.map((i) => i.id),
  );
  return releaseAssignment(deps.db, storeHash, current.assignment.id, RELEASE_ALL_REASON);
}

/** The release-all job. */
export async function runReleaseAll(deps: StoreJobDeps, data: StoreJobData, progress: Progress): Promise<string> {
  const { storeHash } = data;
  const assigned = await activeAssignments(deps.db, storeHash);
  await progress.setTotal(assigned.length, `Releasing ${assigned.length} products`);
  if (assigned.length === 0) return 'No products were assigned: nothing to release.';

  const settings = await getSettings(deps.db, storeHash);
  const writeLevels = !settings.inventory.stockLevelMaintainedExternally;
  const connection = await deps.gateway.connect(storeHash);
  let released = 0;
  for (const entry of assigned) {
    if (await releaseOne(deps, connection, storeHash, entry, writeLevels)) released += 1;
    await progress.advance(1, `Released ${released} of ${assigned.length} products`);
  }
  return `${released} product${released === 1 ? '' : 's'} released: BigCommerce tracks their inventory again. You can now uninstall BackOrder safely.`;
}
