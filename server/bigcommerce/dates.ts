/**
 * v2 dates are RFC-2822 strings in UTC (`Tue, 05 Mar 2019 21:40:11 +0000`), and an unset one is `""`
 * (`date_shipped` before shipping). v3 dates are ISO-8601.
 */

const RFC_2822 = /^(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UT|Z)$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses a BigCommerce date (RFC-2822 or ISO-8601); undefined for `""`, null or anything unparseable. */
export function parseBigCommerceDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (!RFC_2822.test(text) && !ISO_8601.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue, 05 Mar 2019 21:40:11 +0000`: the form BigCommerce's v2 API writes and reads. */
export function formatRfc2822(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
