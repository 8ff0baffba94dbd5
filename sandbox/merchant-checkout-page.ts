/**
 * The control panel's merchant checkout (`{control_panel_base_url}/manage/merchant-checkout?checkoutId=`):
 * the store owner sees what the app charges, then accepts or leaves; either way BigCommerce sends them to
 * the checkout's redirectUrl.
 */
import type { Checkout } from './billing-model.ts';
import { escapeHtml } from './storefront/html.ts';

const PER: Record<string, string> = { MONTH: 'a month', QUARTER: 'a quarter', SEMIANNUAL: 'every six months', ANNUAL: 'a year', ONCE: 'once' };

/** The page's HTML; `refusal` explains why accepting failed. */
export function merchantCheckoutPage(storeHash: string, checkout: Checkout | undefined, expired: boolean, refusal?: string): string {
  const body = !checkout
    ? '<p role="alert">There is no such checkout.</p>'
    : `<h1>Review your purchase</h1>
<p>${escapeHtml(checkout.item.description)}</p>
<p><strong>$${checkout.item.price.toFixed(2)} ${PER[checkout.item.interval] ?? ''}</strong>, billed on your BigCommerce invoice${checkout.item.subscriptionId ? ' (a change of your subscription: BigCommerce prorates it)' : ''}.</p>
${refusal ? `<p role="alert">${escapeHtml(refusal)}</p>` : ''}
${expired ? '<p role="alert">This checkout link has expired.</p>' : ''}
${checkout.status === 'COMPLETE' ? '<p>This checkout is complete.</p>' : ''}
<form method="post">
<input type="hidden" name="checkoutId" value="${escapeHtml(checkout.id)}">
${checkout.status === 'PENDING' && !expired ? '<button name="choice" value="accept">Accept and pay</button>' : ''}
<button name="choice" value="leave">Back to the app</button>
</form>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Checkout · sandbox control panel</title>
<style>body{margin:0;font:14px system-ui,sans-serif}header{padding:.5rem 1rem;background:#34313f;color:#fff}main{padding:1rem}</style></head>
<body><header>Sandbox control panel · stores/${escapeHtml(storeHash)} · checkout</header><main>${body}</main></body>
</html>`;
}
