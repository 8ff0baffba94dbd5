/**
 * Unified Billing (reference: unified-billing.md): checkouts the merchant accepts in the control panel,
 * the subscriptions they create, and cancellation, over the GraphQL Account API. Ids are BigCommerce's
 * global ids (`bc/account/...`); money crosses this boundary in cents, dates as Date.
 */
import type { UnifiedBillingConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { accountGraphql } from './account-api.ts';
import type { BillingCheckout, BillingInterval, BillingSubscription, CheckoutRequest, UnifiedBilling } from './gateway.types.ts';

const CHECKOUT_FIELDS = `id accountId status checkoutUrl
  items { edges { node { subscriptionId status product { id type productLevel } scope { id type }
    pricingPlan { interval price { value currencyCode } trialDays } redirectUrl description } } }`;

const CREATE_CHECKOUT = `mutation ($checkout: CreateCheckoutInput!) {
  checkout { createCheckout(input: $checkout) { checkout { ${CHECKOUT_FIELDS} } } }
}`;

const READ_CHECKOUT = `query ($checkoutId: ID!) { account { checkout(id: $checkoutId) { ${CHECKOUT_FIELDS} } } }`;

const SUBSCRIPTIONS = `query ($filters: SubscriptionFiltersInput, $after: String) {
  account { subscriptions(filters: $filters, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id accountId activationDate billingInterval createdAt currentPeriodEnd updatedAt
      pricePerInterval { value currencyCode } product { id type productLevel } status scope { id type } } }
  } }
}`;

const CANCEL = `mutation ($subscription: CancelSubscriptionInput!) {
  subscription { cancelSubscription(input: $subscription) { subscriptionId cancelledAt } }
}`;

interface CheckoutNode {
  id: string;
  status: string;
  checkoutUrl: string;
  items: { edges: Array<{ node: { subscriptionId: string | null; status: string } }> };
}

interface SubscriptionNode {
  id: string;
  status: string;
  activationDate: string | null;
  billingInterval: string;
  createdAt: string;
  currentPeriodEnd: string | null;
  updatedAt: string;
  pricePerInterval: { value: number; currencyCode: string } | null;
  product: { id: string; productLevel: string | null } | null;
}

const date = (value: string | null | undefined) => (value ? new Date(value) : null);
const cents = (value: number | undefined) => Math.round((value ?? 0) * 100);

function checkoutOf(node: CheckoutNode): BillingCheckout {
  const item = node.items.edges[0]?.node;
  return { id: node.id, status: node.status, checkoutUrl: node.checkoutUrl, subscriptionId: item?.subscriptionId ?? null };
}

function subscriptionOf(node: SubscriptionNode): BillingSubscription {
  return {
    id: node.id,
    status: node.status,
    productLevel: node.product?.productLevel || null,
    interval: node.billingInterval as BillingInterval,
    priceCents: cents(node.pricePerInterval?.value),
    activationDate: date(node.activationDate),
    currentPeriodEnd: date(node.currentPeriodEnd),
    createdAt: new Date(node.createdAt),
    updatedAt: new Date(node.updatedAt),
  };
}

/** Unified Billing for the partner account in `config`, talking to `apiUrl` (BigCommerce or the sandbox). */
export function createUnifiedBilling(config: UnifiedBillingConfig, apiUrl: string, logger?: Logger, send?: typeof fetch): UnifiedBilling {
  const graphql = accountGraphql({ apiUrl, ...config, ...(logger ? { logger } : {}), ...(send ? { fetch: send } : {}) });
  const productId = `bc/account/product/${config.appId}`;
  const scopeId = (storeHash: string) => `bc/account/scope/${storeHash}`;

  return {
    appId: config.appId,
    async createCheckout(request: CheckoutRequest) {
      const pricingPlan = { interval: request.interval, price: { value: request.priceCents / 100, currencyCode: 'USD' } };
      // An update carries the subscription, the new level and price, and nothing BigCommerce refuses to change.
      const item = request.subscriptionId
        ? { subscriptionId: request.subscriptionId, product: { productLevel: request.productLevel }, pricingPlan }
        : {
            product: { id: productId, type: 'APPLICATION', productLevel: request.productLevel },
            scope: { id: scopeId(request.storeHash), type: 'STORE' },
            pricingPlan: { ...pricingPlan, trialDays: 0 },
          };
      const data = await graphql<{ checkout: { createCheckout: { checkout: CheckoutNode } } }>(
        'createCheckout',
        CREATE_CHECKOUT,
        {
          checkout: {
            accountId: `bc/account/account/${request.accountUuid}`,
            items: [{ ...item, description: request.description, redirectUrl: request.redirectUrl }],
          },
        },
        { retry: false },
      );
      return checkoutOf(data.checkout.createCheckout.checkout);
    },

    async checkout(checkoutId) {
      const data = await graphql<{ account: { checkout: CheckoutNode | null } }>('checkout', READ_CHECKOUT, { checkoutId });
      return data.account.checkout ? checkoutOf(data.account.checkout) : undefined;
    },

    async subscriptions(storeHash) {
      const found: BillingSubscription[] = [];
      let after: string | null = null;
      do {
        const data: { account: { subscriptions: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: SubscriptionNode }> } } } =
          await graphql('subscriptions', SUBSCRIPTIONS, { filters: { scopeId: scopeId(storeHash), productId }, after });
        const page = data.account.subscriptions;
        found.push(...page.edges.map((edge) => subscriptionOf(edge.node)));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return found;
    },

    async cancelSubscription(subscriptionId) {
      const data = await graphql<{ subscription: { cancelSubscription: { subscriptionId: string; cancelledAt: string | null } } }>(
        'cancelSubscription',
        CANCEL,
        { subscription: { id: subscriptionId } },
        { retry: false },
      );
      return { subscriptionId: data.subscription.cancelSubscription.subscriptionId, cancelledAt: date(data.subscription.cancelSubscription.cancelledAt) };
    },
  };
}
