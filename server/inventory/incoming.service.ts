/**
 * Back-in-stock dates: when an item's date has come in its store's time zone, its incoming stock joins
 * current stock (serving the oldest waiting units first) and is cleared. A store whose incoming stock
 * arrives through BigCommerce (an ERP pushes the new level, read as a movement) keeps the date for the ETA
 * only, so the same arrival is never counted twice; once the date has passed, its incoming stock and date
 * are cleared without a movement, so no shopper is promised a date already gone.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { getSettings } from '../settings/settings.service.ts';
import { storeToday } from '../stores/stores.repo.ts';
import type { Logger } from '../logger.ts';
import { arrivalProblem } from './item-values.ts';
import { changeStock, type ItemChange, type StockDeps } from './stock.service.ts';

/** Items of active stores whose back-in-stock date is today or past (`past`: before today) in the store's time zone. */
export async function dueIncomingItems(db: Db): Promise<Array<{ storeHash: string; itemId: number; past: boolean }>> {
  const today = storeToday(sql.ref('s.timezone'));
  const { rows } = await sql<{ store_hash: string; id: number; past: boolean }>`
    select i.store_hash, i.id, i.back_in_stock_date < ${today} as past
    from inventory_items i
    join stores s on s.store_hash = i.store_hash
    where s.status = 'active' and i.retired_at is null and i.incoming_stock > 0
      and i.back_in_stock_date is not null
      and i.back_in_stock_date <= ${today}
    order by i.store_hash, i.id`.execute(db);
  return rows.map((row) => ({ storeHash: row.store_hash, itemId: Number(row.id), past: row.past }));
}

/** The incoming stock and date, gone: arrived, or no longer to be promised. */
const CLEARED = { incomingStock: 0, backInStockDate: null };

/**
 * Receives every due item's incoming stock, one stock change per store: it joins current stock (serving
 * the oldest waiting units first) and is cleared; a repeated run finds nothing incoming. Where BigCommerce
 * brings it, a date gone by clears it without a movement. An arrival that would take current stock past
 * MAX_QUANTITY waits (see `receiveStore`). One store's failure leaves the others' restocks done: the run then
 * throws, naming it. Returns how many items changed.
 */
export async function receiveDueIncoming(deps: StockDeps & { logger?: Logger }): Promise<number> {
  const byStore = new Map<string, Array<{ itemId: number; past: boolean }>>();
  for (const { storeHash, ...due } of await dueIncomingItems(deps.db)) {
    const items = byStore.get(storeHash) ?? [];
    if (items.length === 0) byStore.set(storeHash, items);
    items.push(due);
  }
  let received = 0;
  const failed: string[] = [];
  for (const [storeHash, due] of byStore) {
    try {
      received += await receiveStore(deps, storeHash, due);
    } catch (error) {
      failed.push(`${storeHash} (${(error as Error).message})`);
    }
  }
  if (failed.length > 0) throw new Error(`incoming stock not received in ${failed.length} store(s), received in the others: ${failed.join('; ')}`);
  return received;
}

async function receiveStore(deps: StockDeps & { logger?: Logger }, storeHash: string, due: Array<{ itemId: number; past: boolean }>): Promise<number> {
  const throughBigCommerce = (await getSettings(deps.db, storeHash)).inventory.incomingStockArrivesThroughBigCommerce;
  const { changed } = await changeStock(deps, storeHash, {
    reason: 'restock',
    itemIds: due.filter((d) => d.past || !throughBigCommerce).map((d) => d.itemId),
    decide: (_trx, items) =>
      [...items].flatMap(([itemId, item]): ItemChange[] => {
        if (item.incoming_stock === 0) return [];
        if (throughBigCommerce) return [{ itemId, plan: CLEARED }];
        // Forms and files refuse incoming stock whose arrival would pass MAX_QUANTITY; only a level raised in
        // BigCommerce since can make one, and the arrival waits until the merchant lowers one or the other.
        if (arrivalProblem(item.current_stock, item.incoming_stock)) {
          deps.logger?.warn(
            { storeHash, itemId, currentStock: item.current_stock, incomingStock: item.incoming_stock },
            'incoming stock not received: it would take current stock past the largest quantity',
          );
          return [];
        }
        const note = item.back_in_stock_date ? `incoming stock due ${item.back_in_stock_date}` : 'incoming stock received';
        return [{ itemId, stock: { by: item.incoming_stock }, note, plan: CLEARED }];
      }),
  });
  return changed.length;
}

/** Active stores with at least one assigned item: those the level poll reads. */
export async function storesWithItems(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('stores')
    .select('store_hash')
    .where('status', '=', 'active')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('inventory_items as i')
          .select(sql`1`.as('one'))
          .whereRef('i.store_hash', '=', 'stores.store_hash')
          .where('i.retired_at', 'is', null),
      ),
    )
    .orderBy('store_hash')
    .execute();
  return rows.map((row) => row.store_hash);
}
