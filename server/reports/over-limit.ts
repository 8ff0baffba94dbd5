/**
 * Units sold beyond the salable quantity ("over the limit") are never dropped: they stay on backorder
 * lines flagged over the cap, and the admin warns of them — on the products tab (its home) and the report —
 * with a link to the report filtered to those lines.
 */
import type { Db } from '../db/database.ts';
import { plural } from '../plural.ts';
import { overLimitSummary } from './report.repo.ts';

/** The warning the admin shows while open lines are over the limit; null when none is. */
export async function overLimitNotice(db: Db, storeHash: string): Promise<{ text: string; link: string } | null> {
  const { units, orders, lines } = await overLimitSummary(db, storeHash);
  if (units === 0) return null;
  return {
    text: `${plural(units, 'unit')} in ${plural(orders, 'order')} went over the limit: sold beyond the salable quantity. They stay on backorder; restock, or tell the shoppers.`,
    link: `See the ${plural(lines, 'line')} over the limit`,
  };
}
