/** Money and dates as the Plan page words them. Prorations are BigCommerce's: the app computes none. */

/** `$9.99`. */
export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/** `$9.99 a month`, `$99.00 a year`. */
export function priceWords(cents: number, interval: string | null): string {
  const per = interval === 'ANNUAL' ? 'a year' : interval === 'MONTH' ? 'a month' : (interval?.toLowerCase() ?? '');
  return `${formatCents(cents)} ${per}`.trim();
}
