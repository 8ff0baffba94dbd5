/**
 * Handlebars helpers of the admin. `url` is how every admin link carries the session: the token of the
 * page being rendered is appended, so no template ever spells it out.
 */
import type { HelperOptions } from 'handlebars';
import { plural } from '../plural.ts';

/** `path` with `params` and the session as query parameters. */
export function adminUrl(path: string, session: string | undefined, params: Record<string, unknown> = {}): string {
  const url = new URL(path, 'http://admin.invalid');
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  if (session) url.searchParams.set('session', session);
  return `${url.pathname}${url.search}`;
}

/**
 * The day of a moment in the store's time zone, e.g. "Nov 27, 2026" (`long`: "November 27, 2026"): what the
 * merchant's calendar says of it. An unknown zone name reads as UTC rather than giving no date.
 */
export function storeDay(moment: Date, timezone: string | undefined, dateStyle: 'medium' | 'long' = 'medium'): string {
  return inStoreZone(timezone, { dateStyle }).format(moment);
}

/** The same day as YYYY-MM-DD, e.g. "2026-11-27": for lines kept as text, such as the billing ledger's. */
export function storeDate(moment: Date, timezone: string | undefined): string {
  const parts = inStoreZone(timezone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(moment);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

function inStoreZone(timezone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: timezone || 'UTC' });
  } catch {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
  }
}

function rootOf(options: HelperOptions): Record<string, unknown> {
  return (options.data as { root?: Record<string, unknown> } | undefined)?.root ?? {};
}

export const viewHelpers = {
  /** {{url "/admin/products" page=2}} → /admin/products?page=2&session=… */
  url(path: string, options: HelperOptions): string {
    return adminUrl(path, rootOf(options).session as string | undefined, options.hash as Record<string, unknown>);
  },
  eq: (a: unknown, b: unknown) => a === b,
  /** {{#if (or search filter)}}: whether any of its arguments is truthy. */
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  /** {{url (concat "/admin/products/" productId "/edit")}}: joins its arguments (the last is Handlebars' options). */
  concat: (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''),
  /** 5 → "+5", -3 → "−3": a movement's change. */
  signed: (value: unknown) => (typeof value === 'number' ? `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toLocaleString('en-US')}` : ''),
  /** 1234 → "1,234". */
  number: (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : ''),
  /** {{plural 1 "day"}} → "1 day", {{plural 1234 "day"}} → "1,234 days"; an irregular plural as a third argument. */
  plural(count: unknown, singular: string, ...rest: unknown[]): string {
    // Handlebars passes its options last: a third argument is there only when rest holds two.
    return plural(typeof count === 'number' ? count : Number(count), singular, rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined);
  },
  /** A moment in the store's time zone, or a calendar date (YYYY-MM-DD) as it is, e.g. "Nov 27, 2026". */
  date(value: unknown, options: HelperOptions): string {
    if (value === null || value === undefined || value === '') return '';
    const calendarDate = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    const date = value instanceof Date ? value : new Date(calendarDate ? `${String(value)}T00:00:00Z` : String(value));
    if (Number.isNaN(date.getTime())) return '';
    // A calendar date is that day wherever it is read: formatted in UTC, where its midnight is.
    return storeDay(date, calendarDate ? 'UTC' : (rootOf(options).store as { timezone?: string } | undefined)?.timezone);
  },
};
