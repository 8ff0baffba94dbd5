/**
 * Billing arithmetic: monthly cycles and proration. Money is in integer cents; proration is by whole
 * days, rounded to the cent: upgrading 10 days into a 30-day cycle charges 20/30 of the price difference.
 */
const DAY_MS = 24 * 3600 * 1000;

/** The same moment one calendar month later; the 31st becomes the month's last day when it has fewer. */
export function addMonth(date: Date): Date {
  const next = new Date(date);
  const day = next.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, lastDay));
  return next;
}

/** Whole days left in the cycle at `now` (a day begun counts), between 0 and the cycle's length. */
export function remainingDays(cycleStart: Date, cycleEnd: Date, now: Date): { remaining: number; total: number } {
  const total = Math.round((cycleEnd.getTime() - cycleStart.getTime()) / DAY_MS);
  const remaining = Math.min(total, Math.max(0, Math.ceil((cycleEnd.getTime() - now.getTime()) / DAY_MS)));
  return { remaining, total };
}

/** The charge for moving to a dearer plan for the rest of the cycle. */
export function proratedUpgradeCents(fromPriceCents: number, toPriceCents: number, cycleStart: Date, cycleEnd: Date, now: Date): number {
  const { remaining, total } = remainingDays(cycleStart, cycleEnd, now);
  if (total === 0 || toPriceCents <= fromPriceCents) return 0;
  return Math.round(((toPriceCents - fromPriceCents) * remaining) / total);
}

export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
