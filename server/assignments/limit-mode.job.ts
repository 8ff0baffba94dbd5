/**
 * Switching the store's limit mode moves every assigned product over, one at a time, with its items' rows
 * locked while BigCommerce is told (orders of the product wait for it, so none is counted on the wrong side):
 * - to strict: tracking goes back on (the mode the product was tracked by) with each level at the item's
 *   salable quantity, which becomes the level the app expects; orders BigCommerce takes from then on move it.
 *   A product BigCommerce did not track before it was assigned stays flexible, as when it is assigned.
 *   On a store with BigCommerce's native backorders on, the level is what is on hand and the native
 *   backorder limit the threshold instead (strict-levels.repo.ts); qty backordered is read first.
 * - to flexible: tracking goes off; the level is left as it was, and orders placed while it was tracked
 *   still count as having moved it. Native backorder limits the app wrote go back to 0.
 * Each batch of up to PER_SECOND products is switched at the start of a second, its items locked: BigCommerce
 * dates orders to the second, so an order from that second on is taken as counted under the new tracking.
 * One placed between the second's start and the product's switch (the time BigCommerce takes to answer, long
 * under load) cannot be told apart, so a switch leaves the level the app expects unknown: the item's next
 * level read, once its orders have settled, only records BigCommerce's level, and a strict item's level is
 * then written to its salable quantity (README, "Strict limit"). Stock follows the orders alone meanwhile.
 * Selling follows each product (holds lifted on strict items, set on flexible ones at the limit).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeBackorders, StoreConnection } from '../bigcommerce/index.ts';
import type { InventoryItem } from '../db/schema.ts';
import { desiredLevel, forgetLevels, limitsWritten, markStrict, recordBackordered } from '../inventory/strict-levels.repo.ts';
import { followChange } from '../inventory/stock.service.ts';
import { lockItems, type LockedItem } from '../inventory/inventory.repo.ts';
import type { Progress, StoreJobData, StoreJobDeps } from '../jobs/jobs.service.ts';
import { AppError } from '../errors.ts';
import { getSettings, updateSettings } from '../settings/settings.service.ts';
import { readStrictSettings } from './limit-mode.service.ts';
import { activeAssignments, type ActiveAssignment } from './assignments.repo.ts';
import { handBackLimits } from './native-limits.ts';

/** Products switched from the start of one second: the fewer, the sooner each is switched after it. */
const PER_SECOND = 10;

/** Waits for the start of the next second (BigCommerce's order dates are whole seconds). */
async function nextSecond(): Promise<Date> {
  await sleep(1000 - (Date.now() % 1000));
  return new Date();
}

/** The items of the product that are not yet in the mode, or none when the product stays as it is (the rule `countOutOfMode` counts by). */
function toSwitch({ assignment, items }: ActiveAssignment, strict: boolean): number[] {
  if (assignment.state !== 'active' || (strict && assignment.saved_inventory_tracking === 'none')) return [];
  return items.filter((item) => (item.strict_since !== null) !== strict).map((item) => item.id);
}

/** A native strict item as switched: its limit (the threshold), qty backordered as read and as it should be. */
interface NativeSwitch {
  itemId: number;
  productId: number;
  variantId: number | null;
  limit: number | null;
  backordered: number;
  desiredBackordered: number;
}

function nativeSwitch(item: InventoryItem, row: LockedItem, read: ReadonlyMap<string, NativeBackorders>): NativeSwitch {
  const backordered = read.get(item.variant_id === null ? `p${item.product_id}` : `v${item.variant_id}`)?.backordered ?? 0;
  const limit = row.backorder_threshold;
  return { itemId: item.id, productId: item.product_id, variantId: item.variant_id, limit, backordered, desiredBackordered: Math.max(0, -row.current_stock) };
}

/**
 * Moves products to `strict` or back, in one transaction holding their items' locks: orders of the products
 * wait, the switch starts at the start of a second, and BigCommerce is told at once. Returns how many moved.
 */
async function switchProducts(
  deps: StoreJobDeps,
  connection: StoreConnection,
  storeHash: string,
  entries: ActiveAssignment[],
  mode: { strict: boolean; native: boolean },
): Promise<number> {
  const { strict, native } = mode;
  const switching = entries.map((entry) => ({ entry, itemIds: toSwitch(entry, strict) })).filter((s) => s.itemIds.length > 0);
  if (switching.length === 0) return 0;
  const itemIds = switching.flatMap((s) => s.itemIds);
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockItems(trx, storeHash, itemIds);
    // Untracked until the switch, the products had nothing backordered by BigCommerce meanwhile: read now, exact.
    const backorders =
      strict && native ? await connection.nativeBackorders(switching.map((s) => s.entry.assignment.product_id)) : new Map<string, NativeBackorders>();
    const natives: NativeSwitch[] = [];
    const at = await nextSecond();
    for (const { entry } of switching) {
      const { assignment, items } = entry;
      if (!strict) {
        // The limits the app wrote go back while BigCommerce still tracks the product (it takes none for an untracked one).
        await handBackLimits(
          trx,
          connection,
          storeHash,
          items.map((i) => i.id),
        );
        await connection.takeOverTracking([assignment.product_id]);
        continue;
      }
      const rows = items.flatMap((item) => {
        const row = locked.get(item.id);
        return row ? [{ item, row, level: desiredLevel(row.current_stock, row.backorder_threshold, native) }] : [];
      });
      const own = native ? rows.map(({ item, row }) => nativeSwitch(item, row, backorders)) : [];
      await connection.restoreTracking({
        productId: assignment.product_id,
        mode: assignment.tracked_by,
        levels: rows.map(({ item, level }) => ({ itemId: item.id, variantId: item.variant_id, level })),
      });
      // Once tracked (BigCommerce takes no limit for an untracked product; until the limit is written, the
      // one left, 0, only sells less). Relative: an order BigCommerce backorders meanwhile composes with it.
      if (own.length > 0) {
        await connection.writeBackorderLimits(own);
        await connection.adjustLevels(own.map((n) => ({ ...n, units: 0, backordered: n.desiredBackordered - n.backordered })));
      }
      natives.push(...own);
    }
    await markStrict(trx, storeHash, [...locked.keys()], strict, at, native);
    await forgetLevels(trx, storeHash, [...locked.keys()]);
    await recordBackordered(
      trx,
      storeHash,
      natives.map((n) => ({ itemId: n.itemId, backordered: n.desiredBackordered })),
    );
    await limitsWritten(
      trx,
      storeHash,
      natives.map((n) => ({ itemId: n.itemId, limit: n.limit })),
    );
  });
  await followChange(deps, storeHash, { changed: itemIds });
  return switching.length;
}

/**
 * The limit-mode job: every assigned product of the store moved to the store's mode. Strict is first checked
 * against BigCommerce's inventory settings as they are now: when they rule it out, the store goes back to
 * flexible, its products are switched there, and the run fails with the reason, shown on every admin page.
 */
export async function runLimitModeJob(deps: StoreJobDeps, data: StoreJobData, progress: Progress): Promise<string> {
  const { storeHash } = data;
  const connection = await deps.gateway.connect(storeHash);
  let strict = (await getSettings(deps.db, storeHash)).inventory.limitMode === 'strict';
  const { inventory, refused } = strict ? await readStrictSettings(deps.db, connection, storeHash) : { inventory: undefined, refused: '' };
  if (refused) {
    await updateSettings(deps.db, storeHash, { inventory: { limitMode: 'flexible' } });
    strict = false;
  }
  const native = strict && (inventory?.nativeBackorders ?? false);
  const assigned = await activeAssignments(deps.db, storeHash);
  await progress.setTotal(assigned.length, `Switching ${assigned.length} products to the ${strict ? 'strict' : 'flexible'} limit`);
  let switched = 0;
  for (let i = 0; i < assigned.length; i += PER_SECOND) {
    const batch = assigned.slice(i, i + PER_SECOND);
    switched += await switchProducts(deps, connection, storeHash, batch, { strict, native });
    await progress.advance(batch.length, `Switched ${switched} of ${assigned.length} products`);
  }
  if (refused) {
    const kept =
      switched === 0
        ? 'Your products stay on the flexible limit'
        : `BackOrder switched ${switched} product${switched === 1 ? '' : 's'} back to the flexible limit`;
    throw new AppError(
      'validation',
      `The strict limit is off: ${refused} ${kept}, which stops selling at your limit; choose Strict again once the setting is changed.`,
    );
  }
  return strict
    ? `${switched} product${switched === 1 ? '' : 's'} switched to the strict limit: BigCommerce tracks them again, and refuses every unit beyond stock + threshold.`
    : `${switched} product${switched === 1 ? '' : 's'} switched to the flexible limit: BigCommerce no longer tracks them; BackOrder stops selling at the limit.`;
}
