/**
 * Query strings as BigCommerce documents them: `id:in=1,2,3`, `include=variants`, `is_visible=true`.
 * Filter names keep their colon and lists their commas unescaped (both are legal in a query), so the URL
 * reads like the reference; everything else is percent-encoded.
 */

export type QueryValue = string | number | boolean | Date | ReadonlyArray<string | number> | undefined | null;
export type Query = { readonly [name: string]: QueryValue };

/** `?a=1&b:in=2,3`, or '' when nothing is set. Dates become ISO-8601 (v3) unless `formatDate` says otherwise. */
export function toQueryString(query: Query | undefined, formatDate: (date: Date) => string = (d) => d.toISOString()): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    const text = Array.isArray(value) ? value.map((item) => encode(String(item))).join(',') : encode(value instanceof Date ? formatDate(value) : String(value));
    parts.push(`${encode(name)}=${text}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/%3A/gi, ':');
}
