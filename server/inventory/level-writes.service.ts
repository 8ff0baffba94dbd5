/**
 * Strict limit mode: BigCommerce's level follows the app's own inputs. After a change the app made (an admin
 * edit, an import, a threshold, a restock, incoming stock arriving, a level read of someone else's write),
 * the items whose expected level is not their salable quantity are queued (coalesced per store); this moves
 * their levels in BigCommerce by the difference. Orders need nothing: BigCommerce moved its level for them.
 * On native backorders the same write moves qty backordered beside the level, and the native backorder
 * limit is set to the threshold (strict-levels.repo.ts says why that makes BigCommerce's cap the app's).
 *
 * The write is relative and made while the items' rows are locked: an order BigCommerce takes meanwhile is
 * subtracted from the level it leaves (an absolute write would erase it), the app's order handling waits for
 * the lock and then moves the expected level by the same units, and a level read begun before the write
 * sees its sequence moved and reads again. Limits are a setting orders never move, written as they are;
 * those that fall go first and those that rise last, so that BigCommerce's cap is never, even for the
 * moment between two requests, above both the old and the new salable quantity.
 */
import type { BackorderLimitWrite, StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { levelsWritten, limitsWritten, lockLevelsToWrite, type LevelToWrite } from './strict-levels.repo.ts';

/** Whether the limit to write is below the one BigCommerce has from the app (none of its own: 0). */
function lowers(l: LevelToWrite): boolean {
  const now = l.limitWritten ? l.limitWritten.limit : 0;
  return now === null ? l.limit !== null : l.limit !== null && l.limit < now;
}

/**
 * Moves BigCommerce's levels (and native backorders) of the strict items among `itemIds` to their salable
 * quantities; returns how many were out of step, and the products of those whose level is not known (a limit
 * mode switch): their level is to be read, once orders settle, before it can be moved.
 */
export async function writeStrictLevels(
  db: Db,
  connection: Pick<StoreConnection, 'adjustLevels' | 'writeBackorderLimits'>,
  storeHash: string,
  itemIds: readonly number[],
): Promise<{ written: number; unknown: number[] }> {
  if (itemIds.length === 0) return { written: 0, unknown: [] };
  return db.transaction().execute(async (trx) => {
    const due = await lockLevelsToWrite(trx, storeHash, itemIds);
    // An expected level or qty backordered not known (a limit mode switch, until the next read) is not moved.
    const adjusted = due
      .filter((l) => l.expected !== null)
      .map((l) => ({
        itemId: l.itemId,
        productId: l.productId,
        variantId: l.variantId,
        units: l.desired - l.expected!,
        backordered: l.native && l.expectedBackordered !== null ? l.desiredBackordered - l.expectedBackordered : 0,
      }))
      .filter((a) => a.units !== 0 || a.backordered !== 0);
    const limits = due.filter((l) => l.native && (l.limitWritten === null || l.limitWritten.limit !== l.limit));
    const limitOf = (l: LevelToWrite): BackorderLimitWrite => ({ productId: l.productId, variantId: l.variantId, limit: l.limit });
    const falling = limits.filter(lowers);
    if (falling.length > 0) await connection.writeBackorderLimits(falling.map(limitOf));
    if (adjusted.length > 0) await connection.adjustLevels(adjusted);
    const rising = limits.filter((l) => !lowers(l));
    if (rising.length > 0) await connection.writeBackorderLimits(rising.map(limitOf));
    await levelsWritten(trx, storeHash, adjusted);
    await limitsWritten(
      trx,
      storeHash,
      limits.map((l) => ({ itemId: l.itemId, limit: l.limit })),
    );
    const unknown = [...new Set(due.filter((l) => l.expected === null).map((l) => l.productId))];
    return { written: due.length, unknown };
  });
}
