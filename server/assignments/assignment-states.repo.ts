/** Where each assignment stands with BigCommerce (assigning → active → unassigning → released). */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AssignmentState, Availability, TrackingMode } from '../db/schema.ts';
import { withItems, type ActiveAssignment } from './assignments.repo.ts';

/** An assignment waiting for BigCommerce, with its active items. */
export type PendingAssignment = ActiveAssignment;

/**
 * The next `limit` assignments of the store waiting in `state` for BigCommerce, oldest first (after
 * `afterId` when given), with their active items.
 */
export async function nextPending(db: Db, storeHash: string, state: 'assigning' | 'unassigning', limit: number, afterId = 0): Promise<PendingAssignment[]> {
  const assignments = await db
    .selectFrom('assignments')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('state', '=', state)
    .where('released_at', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return withItems(db, storeHash, assignments);
}

export async function countPending(db: Db, storeHash: string, state: 'assigning' | 'unassigning'): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('store_hash', '=', storeHash)
    .where('state', '=', state)
    .where('released_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records BigCommerce's own tracking mode and availability, once (a retry never overwrites them). */
export async function saveBigCommerceSettings(
  db: Db,
  storeHash: string,
  assignmentId: number,
  tracking: TrackingMode,
  availability: Availability,
): Promise<void> {
  await db
    .updateTable('assignments')
    .set({ saved_inventory_tracking: tracking, saved_availability: availability, settings_saved: true })
    .where('store_hash', '=', storeHash)
    .where('id', '=', assignmentId)
    .where('settings_saved', '=', false)
    .execute();
}

/**
 * BigCommerce is about to stop tracking these products: their orders are the app's to count from now on (the
 * earlier ones are in the level their items were read from). Set just before tracking goes off — and again by
 * a retry that finds BigCommerce still tracking them (the orders counted since are then left to the level it
 * reads: assign.job's `leaveRecountedToLevel`) — so that no order placed once it is off goes uncounted; one
 * placed in the instant between counts in both.
 */
export async function countOrdersFromNow(db: Db, storeHash: string, assignmentIds: readonly number[]): Promise<void> {
  if (assignmentIds.length === 0) return;
  await db
    .updateTable('assignments')
    .set({ assigned_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...assignmentIds])
    .where('state', '=', 'assigning')
    .execute();
}

/**
 * BigCommerce confirmed tracking is off: the assignment is active, and its orders count from now on unless
 * they already did (`countOrdersFromNow`; orders before were BigCommerce's to track: they hold nothing).
 * Returns the ids marked: one released meanwhile (release all) is not.
 */
export async function markActive(db: Db, storeHash: string, assignmentIds: readonly number[]): Promise<number[]> {
  if (assignmentIds.length === 0) return [];
  const rows = await db
    .updateTable('assignments')
    .set({ state: 'active', assigned_at: sql`coalesce(assigned_at, now())`, state_changed_at: sql`now()`, bigcommerce_error: null })
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...assignmentIds])
    .where('state', '=', 'assigning')
    .where('released_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Shows BigCommerce's refusal beside the products while the job retries (null clears it). */
export async function recordBigCommerceError(db: Db, storeHash: string, assignmentIds: readonly number[], error: string | null): Promise<void> {
  if (assignmentIds.length === 0) return;
  await db
    .updateTable('assignments')
    .set({ bigcommerce_error: error })
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...assignmentIds])
    .execute();
}

export interface UnassignChoices {
  restoreTracking: boolean;
  notPurchasable: boolean;
}

/**
 * Where each of `productIds` that is assigned (not released) stands with BigCommerce, and whether BigCommerce
 * did not track it before it was assigned (what "Track inventory" gives back on unassigning); the others are absent.
 */
export async function assignmentStates(
  db: Db,
  storeHash: string,
  productIds: readonly number[],
): Promise<Map<number, { state: AssignmentState; untrackedBefore: boolean }>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('assignments')
    .select(['product_id', 'state', sql<boolean>`settings_saved and saved_inventory_tracking = 'none'`.as('untracked_before')])
    .where('store_hash', '=', storeHash)
    .where('released_at', 'is', null)
    .where('product_id', 'in', [...productIds])
    .execute();
  return new Map(rows.map((row) => [row.product_id, { state: row.state, untrackedBefore: row.untracked_before === true }]));
}

/**
 * Marks the store's active assignments of `productIds` for unassigning with the merchant's choices and the
 * key of the form that asked (`unassignedBy` finds them by it); returns the ids marked.
 */
export async function markUnassigning(
  trx: Db,
  storeHash: string,
  productIds: readonly number[],
  choices: UnassignChoices,
  unassignKey: string,
): Promise<number[]> {
  if (productIds.length === 0) return [];
  const rows = await trx
    .updateTable('assignments')
    .set({
      state: 'unassigning',
      state_changed_at: sql`now()`,
      unassign_restore_tracking: choices.restoreTracking,
      unassign_not_purchasable: choices.notPurchasable,
      unassign_key: unassignKey,
      bigcommerce_error: null,
    })
    .where('store_hash', '=', storeHash)
    .where('product_id', 'in', [...productIds])
    .where('state', '=', 'active')
    .where('released_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** The products the unassign form with `unassignKey` marked (being unassigned, or released since). */
export async function unassignedBy(db: Db, storeHash: string, unassignKey: string): Promise<number[]> {
  const rows = await db.selectFrom('assignments').select('product_id').where('store_hash', '=', storeHash).where('unassign_key', '=', unassignKey).execute();
  return rows.map((row) => row.product_id);
}

/**
 * An unassign BigCommerce refused for good: the product stays assigned, with the reason shown. Its form's
 * key goes, so that sending that form again unassigns it again rather than saying it was.
 */
export async function revertUnassigning(db: Db, storeHash: string, assignmentIds: readonly number[], error: string): Promise<void> {
  if (assignmentIds.length === 0) return;
  await db
    .updateTable('assignments')
    .set({ state: 'active', state_changed_at: sql`now()`, bigcommerce_error: `Unassigning failed: ${error}`, unassign_key: null })
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...assignmentIds])
    .where('state', '=', 'unassigning')
    .where('released_at', 'is', null)
    .execute();
}

export interface ReleaseNotice {
  assignmentId: number;
  productId: number;
  name: string;
  reason: string;
  releasedAt: Date;
}

/** Products BackOrder unassigned by itself since `since` (not at the merchant's request) whose notice is not dismissed, newest first. */
export async function releasesByTheApp(db: Db, storeHash: string, since: Date, limit = 20): Promise<ReleaseNotice[]> {
  const { rows } = await sql<ReleaseNotice>`
    select a.id as "assignmentId", a.product_id as "productId", coalesce(p.name, 'Product #' || a.product_id) as name,
           a.release_reason as reason, a.released_at as "releasedAt"
    from assignments a
    left join catalog_products p on p.store_hash = a.store_hash and p.product_id = a.product_id
    where a.store_hash = ${storeHash} and a.released_at >= ${since} and a.release_notice_dismissed_at is null
      and a.release_reason not in (${MERCHANT_UNASSIGNED}, 'release-all')
    order by a.released_at desc limit ${limit}`.execute(db);
  return rows;
}

/** Dismisses the notices of releases `assignmentIds` (all of the store's when none is given). */
export async function dismissReleaseNotices(db: Db, storeHash: string, assignmentIds?: readonly number[]): Promise<void> {
  let query = db
    .updateTable('assignments')
    .set({ release_notice_dismissed_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('released_at', 'is not', null)
    .where('release_notice_dismissed_at', 'is', null);
  if (assignmentIds) query = query.where('id', 'in', [...assignmentIds, -1]);
  await query.execute();
}

/** The release reason of an unassign the merchant asked for. */
export const MERCHANT_UNASSIGNED = 'Unassigned by the merchant';
