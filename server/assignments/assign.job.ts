/**
 * The BigCommerce side of assigning, as a resumable job. The database step has committed: the products
 * are `assigning`. Ten at a time (BigCommerce's batch), the job
 *   1. reads the products fresh: one deleted meanwhile is released with the reason;
 *   2. saves BigCommerce's own tracking mode and availability (once: a retry never saves "none");
 *   3. brings the items in line with the variants and levels BigCommerce has now;
 *   4. turns tracking off in one batch request, and marks the products active — except one release all
 *      released meanwhile, whose tracking goes straight back. Until tracking goes off, BigCommerce's level
 *      counts the products' orders: the app counts those placed from just before (`countOrdersFromNow`) —
 *      of an item whose stock the merchant gave, from then, its level recorded once tracking is off.
 * Every step is idempotent and the state lives in the database, so a retry (BigCommerce busy, the
 * worker killed) resumes where the last attempt stopped. When the job fails for good, what was done is
 * undone: the products still `assigning` get their tracking mode back (if the app had turned it off) and
 * are released with the reason, so the database and BigCommerce agree and the merchant sees what happened;
 * one whose tracking BigCommerce would not take back stays `assigning`, with the error, for the next run.
 */
import { PRODUCT_BATCH_LIMIT, type NativeBackorders, type ProductHandBack, type StoreConnection } from '../bigcommerce/index.ts';
import { applyBigCommerceLevels, type LevelRead } from '../inventory/level-sync.service.ts';
import { markStrict, ownLimits, recordBackordered } from '../inventory/strict-levels.repo.ts';
import { followChange } from '../inventory/stock.service.ts';
import { leaveToLevel } from '../orders/order-lines.repo.ts';
import { convergeOrder } from '../orders/orders.service.ts';
import { describe, type Attempt, type Progress, type StoreJobData, type StoreJobDeps } from '../jobs/jobs.service.ts';
import { getSettings } from '../settings/settings.service.ts';
import {
  countOrdersFromNow,
  markActive,
  nextPending,
  recordBigCommerceError,
  saveBigCommerceSettings,
  type PendingAssignment,
} from './assignment-states.repo.ts';
import { releaseAssignment } from './assignments.repo.ts';
import { hasMerchantLimit, NATIVE_BACKORDER_LIMIT } from './native-limits.ts';
import { drainPending } from './pending-work.ts';
import { levelsOf, levelsRead, reconcileVariantItems } from './variant-items.service.ts';

const DELETED_BEFORE_ASSIGNED = 'The product was deleted in BigCommerce before BackOrder could take it over.';

interface BatchResult {
  activated: number;
  released: number;
  /** Items created for variants BigCommerce added meanwhile. */
  added: number[];
}

/** How the store holds its limit, read once per run. */
interface LimitSetup {
  defaultThreshold: number | null;
  strict: boolean;
  nativeBackorders: boolean;
}

async function assignBatch(
  deps: StoreJobDeps,
  connection: StoreConnection,
  storeHash: string,
  batch: PendingAssignment[],
  setup: LimitSetup,
): Promise<BatchResult> {
  const result: BatchResult = { activated: 0, released: 0, added: [] };
  // Strict items count BigCommerce's orders from here on: the levels read below already hold the earlier ones.
  const strictSince = new Date();
  const fresh = new Map((await connection.productsByIds(batch.map((b) => b.assignment.product_id))).map((p) => [p.id, p]));
  const native = setup.nativeBackorders ? await connection.nativeBackorders([...fresh.keys()]) : new Map<string, NativeBackorders>();
  const own = setup.nativeBackorders ? await ownLimits(deps.db, storeHash, [...fresh.keys()]) : new Map<number, Set<number | null>>();
  const release = async (entry: PendingAssignment, reason: string) => {
    if (await releaseAssignment(deps.db, storeHash, entry.assignment.id, reason)) result.released++;
  };
  const takeOver: PendingAssignment[] = [];
  const levels: LevelRead[] = [];
  for (const entry of batch) {
    const product = fresh.get(entry.assignment.product_id);
    if (!product) {
      await release(entry, DELETED_BEFORE_ASSIGNED);
      continue;
    }
    if (hasMerchantLimit(product.id, product.variants?.map((v) => v.id) ?? [], native, own.get(product.id))) {
      await release(entry, NATIVE_BACKORDER_LIMIT);
      continue;
    }
    await saveBigCommerceSettings(deps.db, storeHash, entry.assignment.id, product.inventory_tracking, product.availability);
    const { added } = await reconcileVariantItems(deps.db, entry.assignment, entry.items, product, setup.defaultThreshold);
    result.added.push(...added);
    levels.push(...levelsOf(entry, product));
    takeOver.push(entry);
  }
  // Strict: BigCommerce keeps tracking a product it tracks (one it does not track is held flexibly).
  const tracked = (e: PendingAssignment) => fresh.get(e.assignment.product_id)!.inventory_tracking !== 'none';
  const strictOnes = setup.strict ? takeOver.filter(tracked) : [];
  const strictItems = await itemsOf(deps, storeHash, strictOnes);
  await markStrict(
    deps.db,
    storeHash,
    strictItems.map((i) => i.id),
    true,
    strictSince,
    setup.nativeBackorders,
  );
  // On native backorders, what BigCommerce has backordered is where the app's qty backordered starts from.
  const backordered = strictItems.map((i) => ({
    itemId: i.id,
    backordered: native.get(i.variant_id === null ? `p${i.product_id}` : `v${i.variant_id}`)?.backordered ?? 0,
  }));
  if (setup.nativeBackorders) await recordBackordered(deps.db, storeHash, backordered);
  const needed = takeOver.filter((e) => tracked(e) && !strictOnes.includes(e));
  // Stock the merchant gave is the count as the product was assigned, its orders the app's from then on: the
  // level of such an item BigCommerce stops tracking is recorded once tracking is off (it counts orders until then).
  const givenStock = new Set(needed.flatMap((e) => e.items.filter((i) => i.bigcommerce_level === null).map((i) => i.id)));
  await applyBigCommerceLevels(
    deps,
    storeHash,
    levels.filter((l) => !givenStock.has(l.itemId)),
  );
  result.added.push(...strictItems.map((i) => i.id));
  // Until tracking goes off BigCommerce's level counts the products' orders (the levels read above, and the
  // next read, count them); from then on the app does. Orders converged before this held nothing.
  await countOrdersFromNow(
    deps.db,
    storeHash,
    needed.map((e) => e.assignment.id),
  );
  await leaveRecountedToLevel(deps, connection, storeHash, needed);
  const { missing } = await connection.takeOverTracking(needed.map((e) => e.assignment.product_id));
  for (const entry of takeOver.filter((e) => missing.includes(e.assignment.product_id))) await release(entry, DELETED_BEFORE_ASSIGNED);
  const confirmed = takeOver.filter((e) => !missing.includes(e.assignment.product_id));
  await applyBigCommerceLevels(deps, storeHash, await levelsRead(connection, confirmed, givenStock));
  const marked = await markActive(
    deps.db,
    storeHash,
    confirmed.map((e) => e.assignment.id),
  );
  // Released while BigCommerce was turning tracking off (release all runs beside this job): the tracking
  // just turned off goes back, so the product is as release all left it.
  const releasedMeanwhile = needed.filter((e) => confirmed.includes(e) && !marked.includes(e.assignment.id));
  if (releasedMeanwhile.length > 0) {
    await connection.handBack(
      releasedMeanwhile.map((e) => trackingBack(e.assignment.product_id, fresh.get(e.assignment.product_id)!.inventory_tracking as TrackedMode)),
    );
  }
  result.activated += marked.length;
  return result;
}

/**
 * An earlier attempt began counting these products' orders, but BigCommerce still tracks them: its take-over did
 * not happen, so the orders since then are in the level this attempt read as well. Now that the app counts from
 * later, the orders placed before give their units back (converged again), and the level alone counts them.
 * Items whose stock the merchant gave count orders from then, whatever the attempt.
 */
async function leaveRecountedToLevel(deps: StoreJobDeps, connection: StoreConnection, storeHash: string, needed: readonly PendingAssignment[]): Promise<void> {
  const items = needed.filter((e) => e.assignment.assigned_at !== null).flatMap((e) => e.items.filter((i) => i.stock_given_at === null).map((i) => i.id));
  for (const orderId of await leaveToLevel(deps.db, storeHash, items)) {
    const order = await connection.order(orderId);
    if (order) await convergeOrder(deps, storeHash, order);
  }
}

/** The active items of the products' assignments, created or matched above. */
async function itemsOf(deps: StoreJobDeps, storeHash: string, entries: readonly PendingAssignment[]) {
  if (entries.length === 0) return [];
  return deps.db
    .selectFrom('inventory_items')
    .select(['id', 'product_id', 'variant_id'])
    .where('store_hash', '=', storeHash)
    .where(
      'assignment_id',
      'in',
      entries.map((e) => e.assignment.id),
    )
    .where('retired_at', 'is', null)
    .execute();
}

type TrackedMode = 'product' | 'variant';

/** BigCommerce's tracking mode back on a product, its levels left as they are (the app never wrote them). */
function trackingBack(productId: number, mode: TrackedMode): ProductHandBack {
  return { productId, tracking: { productId, mode } };
}

/**
 * Hands back the tracking the app turned off on these products; returns those BigCommerce still leaves
 * untracked (no connection, or it refused). Only a product BigCommerce shows untracked needs it: a
 * take-over that was refused changed nothing, and a deleted product has nothing to hand back.
 */
async function stillUntracked(
  deps: StoreJobDeps,
  connection: StoreConnection | undefined,
  storeHash: string,
  touched: PendingAssignment[],
): Promise<PendingAssignment[]> {
  if (touched.length === 0 || !connection) return touched;
  let off = touched;
  try {
    const now = new Map((await connection.productsByIds(touched.map((b) => b.assignment.product_id))).map((p) => [p.id, p.inventory_tracking]));
    off = touched.filter((b) => now.get(b.assignment.product_id) === 'none');
    if (off.length > 0) await connection.handBack(off.map((b) => trackingBack(b.assignment.product_id, b.assignment.saved_inventory_tracking as TrackedMode)));
    return [];
  } catch (undo) {
    deps.logger.warn({ err: undo, storeHash }, 'could not hand tracking back while undoing a failed assign');
    return off;
  }
}

/**
 * The job failed for good: the products still `assigning` are handed their tracking back (when the app
 * may have turned it off) and released with the reason. One whose tracking could not be handed back is
 * not released — BigCommerce no longer tracks it, so calling it unassigned would be a lie: it stays
 * `assigning` with the error beside it, and the next run (opening Assigned Products resumes it) takes it
 * over again.
 */
async function compensate(
  deps: StoreJobDeps,
  connection: StoreConnection | undefined,
  storeHash: string,
  error: unknown,
): Promise<{ released: number; kept: number }> {
  const reason = `BigCommerce did not let BackOrder take the product over (${describe(error)}), so it was not assigned. Assign it again once BigCommerce answers.`;
  const outcome = { released: 0, kept: 0 };
  for (let afterId = 0; ;) {
    const batch = await nextPending(deps.db, storeHash, 'assigning', PRODUCT_BATCH_LIMIT, afterId);
    if (batch.length === 0) return outcome;
    afterId = batch.at(-1)!.assignment.id;
    const touched = batch.filter((b) => b.assignment.settings_saved && b.assignment.saved_inventory_tracking !== 'none');
    const kept = await stillUntracked(deps, connection, storeHash, touched);
    const keptIds = kept.map((k) => k.assignment.id);
    await recordBigCommerceError(
      deps.db,
      storeHash,
      keptIds,
      `BigCommerce: ${describe(error)}; its tracking could not be handed back either, so BackOrder finishes assigning it on the next run.`,
    );
    outcome.kept += kept.length;
    for (const entry of batch) {
      if (!keptIds.includes(entry.assignment.id) && (await releaseAssignment(deps.db, storeHash, entry.assignment.id, reason))) outcome.released++;
    }
  }
}

/** The assign job: every product of the store waiting in `assigning`, including those added while it runs. */
export async function runAssignJob(deps: StoreJobDeps, data: StoreJobData, progress: Progress, attempt: Attempt): Promise<string> {
  const { storeHash } = data;
  const totals = { activated: 0, released: 0 };
  const { inventory } = await getSettings(deps.db, storeHash);
  let setup: LimitSetup | undefined;
  await drainPending(deps, storeHash, progress, attempt, {
    state: 'assigning',
    verb: 'Turning off tracking in BigCommerce',
    async batch(connection, batch) {
      setup ??= {
        defaultThreshold: inventory.defaultBackorderThreshold,
        strict: inventory.limitMode === 'strict',
        nativeBackorders: (await connection.inventoryBehaviour()).nativeBackorders,
      };
      const result = await assignBatch(deps, connection, storeHash, batch, setup);
      if (result.added.length > 0) await followChange(deps, storeHash, { changed: result.added });
      totals.activated += result.activated;
      totals.released += result.released;
    },
    async giveUp(connection, error) {
      const { released, kept } = await compensate(deps, connection, storeHash, error);
      const stay =
        kept > 0
          ? ` ${kept} stay${kept === 1 ? 's' : ''} “assigning”: BigCommerce did not take ${kept === 1 ? 'its' : 'their'} tracking back; opening Assigned Products tries again.`
          : '';
      return `${released} product${released === 1 ? ' was' : 's were'} left unassigned, as before.${stay}`;
    },
  });
  const released = totals.released > 0 ? ` ${totals.released} could not be assigned: see "Unassigned by BackOrder" on Assigned Products.` : '';
  return `${totals.activated.toLocaleString('en-US')} product${totals.activated === 1 ? '' : 's'} assigned: BigCommerce no longer tracks their inventory, BackOrder does.${released}`;
}
