/**
 * Merchant texts with placeholders, dates and numbers in the shopper's locale. Everything returned is
 * plain text: components bind it as text, so nothing a merchant types can become markup.
 */
import type { DateStyle } from '../contract/storefront-api.ts';

export type TextValues = Partial<Record<'quantity' | 'backordered' | 'onHand' | 'salable' | 'date' | 'name' | 'inCart', string | number | null>>;

function supported(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(tag)[0];
  } catch {
    return undefined;
  }
}

/** The locale to format in: the store's setting, else the page's `<html lang>`, else the browser's. */
export function resolveLocale(setting: string): string | undefined {
  return supported(setting) ?? supported(document.documentElement.lang) ?? supported(navigator.language);
}

/**
 * A `YYYY-MM-DD` calendar date in the locale. It is formatted as that day in UTC, so no time zone can
 * move it to the day before or after. Null for anything that is not such a date.
 */
export function formatDate(ymd: string | null | undefined, locale: string | undefined, dateStyle: DateStyle): string | null {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '');
  if (!parts) return null;
  // Four and two digits always make a time; a day the month does not have (02-30) rolls into the next month.
  const time = Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
  if (new Date(time).getUTCDate() !== Number(parts[3])) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(time);
}

/**
 * Fills `{placeholder}`s. Null when the text is empty (the merchant chose to show nothing) or uses a
 * value that is not known (numbers withheld, no date): a half-filled message would mislead.
 */
export function fillText(template: string, values: TextValues, locale: string | undefined): string | null {
  if (!template.trim()) return null;
  let missing = false;
  const filled = template.replace(/\{(\w+)\}/g, (token, name: keyof TextValues) => {
    const value = values[name];
    if (value === null || value === undefined) {
      missing = true;
      return token;
    }
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
  return missing ? null : filled;
}
