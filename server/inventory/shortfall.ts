/**
 * An unexplained shortfall is stock below zero that no order owes (a level lowered in BigCommerce below
 * what orders took, or a stocktake): no shopper waits for those units, so only the merchant can settle
 * them, by setting current stock to what is on the shelf. The admin says so where products are listed and
 * on the report, with a link to the Assigned Products list filtered to those items.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { plural } from '../plural.ts';

/** `/admin/products/assigned?show=short`: only the items with an unexplained shortfall. */
export const SHORT_FILTER = 'short';

/** How many units the store's active items are short with no order waiting, and on how many items. */
export async function shortfallSummary(db: Db, storeHash: string): Promise<{ units: number; items: number }> {
  const { rows } = await sql<{ units: string; items: string }>`
    select coalesce(sum(unexplained_shortfall), 0) as units, count(*) as items
    from inventory_items where store_hash = ${storeHash} and retired_at is null and unexplained_shortfall > 0`.execute(db);
  return { units: Number(rows[0]?.units ?? 0), items: Number(rows[0]?.items ?? 0) };
}

/** The line an item with a shortfall shows in the Assigned list and its edit dialog. */
export function shortfallNote(units: number): string {
  return `${plural(units, 'unit')} short with no order waiting: set the current stock to what you have.`;
}

/** The warning the admin shows while items are short with no order waiting; null when none is. */
export async function shortfallNotice(db: Db, storeHash: string): Promise<{ text: string; link: string } | null> {
  const { units, items } = await shortfallSummary(db, storeHash);
  if (units === 0) return null;
  return {
    text: `Stock on ${plural(items, 'item')} is ${plural(units, 'unit')} further below zero than ${items === 1 ? 'its' : 'their'} waiting orders account for (a level lowered in BigCommerce, or a stock edit): no shopper waits for ${units === 1 ? 'that unit' : 'those units'}. Set the current stock to what you have.`,
    link: `See the ${plural(items, 'item')} short`,
  };
}
