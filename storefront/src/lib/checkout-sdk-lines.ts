/**
 * Checkout and order lines through `@bigcommerce/checkout-sdk`. Its essential entry is used (the full one
 * adds every payment integration). A script's own checkout service is separate from checkout-js's, so it
 * loads the checkout once: `GET /api/storefront/checkout-settings`, `/api/storefront/form-fields`, then
 * `/api/storefront/checkout/{id}`; for an order, `/api/storefront/orders/{id}`.
 */
import { createCheckoutService, type LineItemMap } from '@bigcommerce/checkout-sdk/essential';
import type { CheckoutLine, CheckoutLines } from './checkout-page.ts';

function linesOf(items: LineItemMap | undefined): CheckoutLine[] {
  return [...(items?.physicalItems ?? []), ...(items?.digitalItems ?? [])].map(({ productId, variantId, quantity, name, options }) => ({
    productId,
    variantId,
    quantity,
    name,
    options: (options ?? []).map((option) => ({ name: option.name, value: option.value })),
  }));
}

/** The current checkout's lines. */
export async function loadCheckoutLines(): Promise<CheckoutLines> {
  const state = await createCheckoutService().loadCheckout();
  const cart = state.data.getCart();
  return { cartId: cart?.id, lines: linesOf(cart?.lineItems) };
}

/** An order's lines, and the id of the cart it was placed from. */
export async function loadOrderLines(orderId: number): Promise<CheckoutLines> {
  const state = await createCheckoutService().loadOrder(orderId);
  const order = state.data.getOrder();
  return { cartId: order?.cartId, lines: linesOf(order?.lineItems) };
}
