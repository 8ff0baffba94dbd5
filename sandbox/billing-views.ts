/** Checkouts and subscriptions as the Account API shows them (every documented field). */
import { billingId as gid, type BillingBook } from './billing.ts';
import type { Checkout, Subscription } from './billing-model.ts';

/** A subscription as the Account API shows it. */
export function subscriptionView(s: Subscription): Record<string, unknown> {
  return {
    id: gid('subscription', s.id),
    accountId: gid('account', s.accountUuid),
    activationDate: new Date(s.activationDate).toISOString(),
    billingInterval: s.interval,
    createdAt: new Date(s.createdAt).toISOString(),
    currentPeriodEnd: new Date(s.currentPeriodEnd).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    pricePerInterval: { value: s.price, currencyCode: 'USD' },
    product: { id: s.productId, type: 'APPLICATION', productLevel: s.productLevel },
    status: s.status,
    scope: { id: gid('scope', s.storeHash), type: 'STORE' },
  };
}

/** A checkout as the Account API shows it. */
export function checkoutView(book: BillingBook, c: Checkout): Record<string, unknown> {
  const { item } = c;
  return {
    id: gid('checkout', c.id),
    accountId: gid('account', c.accountUuid),
    status: c.status,
    checkoutUrl: book.checkoutUrl(c),
    items: {
      edges: [
        {
          node: {
            subscriptionId: item.subscriptionId,
            status: item.status,
            product: { id: item.productId, type: 'APPLICATION', productLevel: item.productLevel },
            scope: { id: gid('scope', item.storeHash), type: 'STORE' },
            pricingPlan: { interval: item.interval, price: { value: item.price, currencyCode: 'USD' }, trialDays: item.trialDays },
            redirectUrl: item.redirectUrl,
            description: item.description,
          },
        },
      ],
    },
  };
}
