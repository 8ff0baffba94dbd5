/**
 * The shopper's cart lines from BigCommerce's Storefront Cart API (same origin, the shopper's own
 * session). Cart rows in the theme's markup carry only the line id, so this maps them to products.
 */
import type { CartLine } from './context.ts';

/** The first cart's physical and digital lines; empty when there is no cart or the call fails. */
export async function fetchCartLines(fetchImpl: typeof fetch = fetch): Promise<CartLine[]> {
  try {
    const response = await fetchImpl('/api/storefront/carts', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) return [];
    const carts = (await response.json()) as Array<{ lineItems?: { physicalItems?: CartLine[]; digitalItems?: CartLine[] } }>;
    const items = carts?.[0]?.lineItems;
    return [...(items?.physicalItems ?? []), ...(items?.digitalItems ?? [])].map(({ id, productId, variantId, quantity, name, url }) => ({
      id,
      productId,
      variantId,
      quantity,
      name,
      url,
    }));
  } catch {
    return [];
  }
}
