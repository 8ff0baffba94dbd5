/**
 * Ids arriving in URLs, query strings and forms, checked at the edge against the column they will be
 * looked up in: a number PostgreSQL cannot hold would fail the query (a 500) instead of finding nothing.
 */

/** The largest PostgreSQL `integer`: BigCommerce's product, variant and order ids are kept as such. */
export const INT_MAX = 2_147_483_647;

/**
 * `text` as an id if it is a whole number from 1 to what the column holds (`int` for BigCommerce's ids,
 * `bigint` for the app's own serial ids, up to the largest number JavaScript keeps exact); else undefined.
 */
export function idFrom(text: unknown, column: 'int' | 'bigint' = 'int'): number | undefined {
  if (typeof text !== 'string' || !/^0*[1-9]\d{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= (column === 'int' ? INT_MAX : Number.MAX_SAFE_INTEGER) ? id : undefined;
}
