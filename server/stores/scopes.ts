/**
 * The OAuth scopes BackOrder asks for, and why (README lists the same). A modify scope covers its
 * read-only twin. The install records what the merchant granted; the admin names what is missing.
 */
export interface RequiredScope {
  scope: string;
  label: string;
  why: string;
}

export const REQUIRED_SCOPES: readonly RequiredScope[] = [
  {
    scope: 'store_v2_products',
    label: 'Products: modify',
    why: 'read the catalog and stock levels, and turn inventory tracking off (assign) and back on (unassign)',
  },
  {
    scope: 'store_v2_orders',
    label: 'Orders: modify',
    why: 'read orders to count backordered units, and write the backorder note on them',
  },
  { scope: 'store_v2_content', label: 'Content: modify', why: 'add the storefront script that shows backorder messages' },
  {
    scope: 'store_content_checkout',
    label: 'Checkout content: modify',
    why: 'show backorder messages on the checkout and order confirmation pages',
  },
  { scope: 'store_v2_information_read_only', label: 'Information: read-only', why: "read the store's name, domain and time zone" },
  {
    scope: 'store_inventory',
    label: 'Inventory: modify',
    why: 'read stock levels per location; in strict limit mode, move BigCommerce’s levels by what your changes call for',
  },
];

/** The required scopes the granted ones (space-separated) do not cover. */
export function missingScopes(granted: string): RequiredScope[] {
  const given = new Set(granted.split(/\s+/).filter(Boolean));
  return REQUIRED_SCOPES.filter(({ scope }) => !given.has(scope) && !given.has(scope.replace(/_read_only$/, '')));
}
