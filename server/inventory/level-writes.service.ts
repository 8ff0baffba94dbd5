/**
 * Strict limit mode: BigCommerce's level follows the app's own inputs. After a change the app made (an admin
 * edit, an import, a threshold, a restock, incoming stock arriving, a level read of someone else's write),
 * the items whose expected level is not their salable quantity are queued (coalesced per store); this moves
 * their levels in BigCommerce by the difference. Orders need nothing: BigCommerce moved its level for them.
 *
 * The write is relative and made while the items' rows are locked: an order BigCommerce takes meanwhile is
 * subtracted from the level it leaves (an absolute write would erase it), the app's order handling waits for
 * the lock and then moves the expected level by the same units, and a level read begun before the write
 * sees its sequence moved and reads again.
 */
import type { StoreConnection } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { levelsWritten, lockLevelsToWrite } from './strict-levels.repo.ts';

/** Moves BigCommerce's levels of the strict items among `itemIds` to their salable quantities; returns how many moved. */
export async function writeStrictLevels(
  db: Db,
  connection: Pick<StoreConnection, 'adjustLevels'>,
  storeHash: string,
  itemIds: readonly number[],
): Promise<number> {
  if (itemIds.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const due = (await lockLevelsToWrite(trx, storeHash, itemIds)).filter((l) => l.expected !== null);
    if (due.length === 0) return 0;
    const adjustments = due.map((l) => ({ productId: l.productId, variantId: l.variantId, units: l.desired - l.expected! }));
    await connection.adjustLevels(adjustments);
    await levelsWritten(
      trx,
      storeHash,
      adjustments.map((a, i) => ({ itemId: due[i]!.itemId, units: a.units })),
    );
    return due.length;
  });
}
