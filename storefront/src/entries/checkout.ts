/**
 * The checkout and order-confirmation script, registered apart in Script Manager (visibility `checkout`
 * and `order_confirmation`) as `{app}/storefront/checkout.js?store=HASH` — for the confirmation page
 * preferably as an inline script tag adding `&order={{checkout.order.id}}`. It is one self-contained
 * classic script (with checkout-sdk and Lit), so a Subresource Integrity hash covers all of it.
 */
import { checkoutPageKind, confirmationOrderId, startCheckoutNotice } from '../lib/checkout-page.ts';
import { loadCheckoutLines, loadOrderLines } from '../lib/checkout-sdk-lines.ts';
import { scriptContextFrom } from '../lib/script-context.ts';

const src = (document.currentScript as HTMLScriptElement | null)?.src;
const context = scriptContextFrom(src);
const flags = window as unknown as { __backorderCheckout?: boolean };
if (context && !flags.__backorderCheckout) {
  flags.__backorderCheckout = true;
  const orderId = confirmationOrderId(src);
  const kind = checkoutPageKind(orderId);
  const load = kind === 'checkout' ? loadCheckoutLines : orderId ? () => loadOrderLines(orderId) : undefined;
  if (load) void startCheckoutNotice(context, kind, load).catch((error: unknown) => console.warn('[backorder]', error));
}
