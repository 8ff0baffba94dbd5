/** OAuth scopes and which API paths need which (ref §1.5). */

/** Every scope a sandbox token gets unless the caller names its own. */
export const ALL_SCOPES = [
  'store_v2_products',
  'store_v2_orders',
  'store_inventory',
  'store_v2_content',
  'store_content_checkout',
  'store_v2_information',
  'store_storefront_api',
] as const;

/** The modify scope a path needs; `_read_only` also serves GETs. Hooks need none (ref §1.5). */
const PATH_SCOPES: Array<[RegExp, string]> = [
  [/^\/v3\/catalog\//, 'store_v2_products'],
  [/^\/v2\/(orders|order_statuses)(\/|$)/, 'store_v2_orders'],
  [/^\/v3\/inventory\//, 'store_inventory'],
  [/^\/v3\/content\//, 'store_v2_content'],
  [/^\/v2\/(store|time)(\/|$)/, 'store_v2_information'],
  [/^\/v3\/settings\//, 'store_v2_information'],
];

/** The scope a request needs, or undefined when any token of the store may make it. */
export function requiredScope(apiPath: string): string | undefined {
  return PATH_SCOPES.find(([pattern]) => pattern.test(apiPath))?.[1];
}

/** Whether `granted` covers `scope` for `method` (a read-only scope covers GET only). */
export function hasScope(granted: readonly string[], scope: string, method: string): boolean {
  if (granted.includes(scope)) return true;
  return method === 'GET' && granted.includes(`${scope}_read_only`);
}
