/**
 * The BigCommerce side of unassigning, as a resumable job. The products are `unassigning` with the
 * merchant's choices; ten at a time, the job hands them back — tracking restored to the saved mode with
 * current stock as level (never below 0; left as BigCommerce has it when an ERP maintains levels; a product
 * BigCommerce did not track before stays untracked), and/or
 * made not purchasable, any variant the app had disabled when selling stopped made purchasable again, and
 * native backorder limits the app wrote back to 0 —
 * then releases them: items retired, open (waiting or allocated) lines marked released, history kept. A product deleted in
 * BigCommerce is simply released. When the job fails for good, the products not yet handed back stay
 * assigned (active) with the reason shown, so nothing is half-unassigned.
 */
import type { ProductHandBack, StoreConnection } from '../bigcommerce/index.ts';
import { describe, type Attempt, type Progress, type StoreJobData, type StoreJobDeps } from '../jobs/jobs.service.ts';
import { getSettings } from '../settings/settings.service.ts';
import { MERCHANT_UNASSIGNED, nextPending, revertUnassigning, type PendingAssignment } from './assignment-states.repo.ts';
import { handBackLiftingHolds } from './app-holds.ts';
import { releaseAssignment } from './assignments.repo.ts';
import { handBackLimits } from './native-limits.ts';
import { drainPending } from './pending-work.ts';
import { levelsOf } from './release.service.ts';

/** What BigCommerce is asked to do for one product, per the merchant's choices. */
function handBackOf(entry: PendingAssignment, writeLevels: boolean, enableVariants: number[]): ProductHandBack {
  const { assignment, items } = entry;
  const mode = assignment.saved_inventory_tracking;
  // "Track inventory" restores the tracking BigCommerce had: a product it did not track stays untracked (its
  // tracking is off while assigned, in either limit mode), so shoppers can buy it as before, not a level of 0.
  return {
    productId: assignment.product_id,
    ...(assignment.unassign_restore_tracking && mode !== 'none'
      ? { tracking: { productId: assignment.product_id, mode, ...(writeLevels ? { levels: levelsOf(items) } : {}) } }
      : {}),
    ...(assignment.unassign_not_purchasable ? { notPurchasable: true } : {}),
    ...(enableVariants.length > 0 ? { enableVariants } : {}),
  };
}

async function unassignBatch(
  deps: StoreJobDeps,
  connection: StoreConnection,
  storeHash: string,
  batch: PendingAssignment[],
  writeLevels: boolean,
): Promise<void> {
  await handBackLiftingHolds(deps.db, connection, storeHash, batch, (entry, enableVariants) => handBackOf(entry, writeLevels, enableVariants));
  await handBackLimits(
    deps.db,
    connection,
    storeHash,
    batch.flatMap((entry) => entry.items.map((i) => i.id)),
  );
  for (const entry of batch) await releaseAssignment(deps.db, storeHash, entry.assignment.id, MERCHANT_UNASSIGNED);
}

/** The unassign job: every product of the store waiting in `unassigning`. */
export async function runUnassignJob(deps: StoreJobDeps, data: StoreJobData, progress: Progress, attempt: Attempt): Promise<string> {
  const { storeHash } = data;
  const writeLevels = !(await getSettings(deps.db, storeHash)).inventory.stockLevelMaintainedExternally;
  const done = await drainPending(deps, storeHash, progress, attempt, {
    state: 'unassigning',
    verb: 'Handing products back to BigCommerce',
    async batch(connection, batch) {
      await unassignBatch(deps, connection, storeHash, batch, writeLevels);
      await deps.effects.changed(storeHash, []);
    },
    async giveUp(_connection, error) {
      const left = await nextPending(deps.db, storeHash, 'unassigning', 100_000);
      await revertUnassigning(
        deps.db,
        storeHash,
        left.map((l) => l.assignment.id),
        describe(error),
      );
      return `${left.length} product${left.length === 1 ? ' stays' : 's stay'} assigned; unassign again once BigCommerce answers.`;
    },
  });
  return `${done.toLocaleString('en-US')} product${done === 1 ? '' : 's'} unassigned and handed back to BigCommerce.`;
}
