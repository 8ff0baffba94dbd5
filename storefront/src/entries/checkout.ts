/**
 * The checkout and order-confirmation script, registered apart in Script Manager (visibility `checkout`
 * and `order_confirmation`) as `{app}/storefront/checkout.js?store=HASH`. On the confirmation page the order
 * id comes from `&order=` (an inline script tag can template `{{checkout.order.id}}`), `window.checkoutConfig`,
 * the path, or else the order number checkout-js shows. It is one self-contained
 * classic script (with checkout-sdk and Lit), so a Subresource Integrity hash covers all of it.
 */
import { checkoutPageKind, confirmationOrderId, orderIdFromPage, startCheckoutNotice } from '../lib/checkout-page.ts';
import { loadCheckoutLines, loadOrderLines } from '../lib/checkout-sdk-lines.ts';
import { scriptContextFrom, type ScriptContext } from '../lib/script-context.ts';

async function start(context: ScriptContext, src: string | undefined): Promise<void> {
  const known = confirmationOrderId(src);
  const kind = checkoutPageKind(known);
  if (kind === 'checkout') return startCheckoutNotice(context, kind, loadCheckoutLines);
  const orderId = known ?? (await orderIdFromPage());
  if (orderId) await startCheckoutNotice(context, kind, () => loadOrderLines(orderId));
}

const src = (document.currentScript as HTMLScriptElement | null)?.src;
const context = scriptContextFrom(src);
const flags = window as unknown as { __backorderCheckout?: boolean };
if (context && !flags.__backorderCheckout) {
  flags.__backorderCheckout = true;
  start(context, src).catch((error: unknown) => console.warn('[backorder]', error));
}
