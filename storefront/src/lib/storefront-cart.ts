/**
 * The shopper's cart lines from BigCommerce's Storefront Cart API (same origin, the shopper's own
 * session). Cart rows in the theme's markup carry only the line id, so this maps them to products.
 */
import type { CartLine } from './context.ts';

/** The first cart's physical and digital lines, with their options; empty when there is no cart or the call fails. */
export async function fetchCartLines(fetchImpl: typeof fetch = fetch): Promise<CartLine[]> {
  try {
    // BigCommerce lists a line's options only when asked (as stencil-utils' `getCart({ includeOptions: true })` asks):
    // the cart names a line by them, "Linen T-Shirt (L)".
    const response = await fetchImpl('/api/storefront/carts?include=lineItems.physicalItems.options,lineItems.digitalItems.options', {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) return [];
    const carts = (await response.json()) as Array<{ lineItems?: { physicalItems?: CartLine[]; digitalItems?: CartLine[] } }>;
    const items = carts?.[0]?.lineItems;
    // The line items as they come, not copied field by field: every page's core chunk would carry the copy.
    return [...(items?.physicalItems ?? []), ...(items?.digitalItems ?? [])];
  } catch {
    return [];
  }
}
