/**
 * Unified Billing's records as the sandbox keeps them (in its state file): the partner account owning the
 * app, account-level tokens, checkouts and subscriptions, and the documented refusal messages.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export const BILLING_SCOPES = ['account_checkouts_create', 'account_checkouts_read', 'account_subscriptions_read', 'account_subscriptions_cancel'] as const;
export type BillingScope = (typeof BILLING_SCOPES)[number];
export type Interval = 'MONTH' | 'QUARTER' | 'SEMIANNUAL' | 'ANNUAL' | 'ONCE';

export const INTERVAL_MONTHS: Record<Interval, number> = { MONTH: 1, QUARTER: 3, SEMIANNUAL: 6, ANNUAL: 12, ONCE: 0 };
export const DAY_MS = 24 * 3600 * 1000;
/** Checkout links expire after 24 hours. */
export const CHECKOUT_TTL_MS = DAY_MS;

export const REFUSED = {
  product: 'Product is not supported for your account.',
  scope: 'Scope does not belong to account.',
  permission: 'You do not have permission to do this operation.',
  trial: 'Checkouts are not available for existing trial subscriptions.',
  noActive: 'Could not find active subscription.',
  scopeUpdate: 'Scope updates are not allowed for an existing subscription.',
  productUpdate: 'Product updates are not allowed for an existing subscription.',
  trialUpdate: 'Trial days cannot be added to existing subscriptions.',
} as const;

export class BillingRefusal extends Error {}

export interface AccountToken {
  token: string;
  accountUuid: string;
  scopes: BillingScope[];
}

export interface CheckoutItem {
  subscriptionId: string | null;
  status: 'PENDING' | 'COMPLETE';
  productId: string;
  productLevel: string;
  storeHash: string;
  interval: Interval;
  price: number;
  trialDays: number;
  description: string;
  redirectUrl: string;
}

export interface Checkout {
  id: string;
  accountUuid: string;
  status: 'PENDING' | 'COMPLETE';
  createdAt: number;
  item: CheckoutItem;
}

export interface Subscription {
  id: string;
  accountUuid: string;
  storeHash: string;
  productId: string;
  productLevel: string;
  interval: Interval;
  price: number;
  trialDays: number;
  /** When billing began (after any trial). */
  activationDate: number;
  createdAt: number;
  updatedAt: number;
  currentPeriodEnd: number;
  cancelledAt: number | null;
  status: 'ACTIVE' | 'CANCELLED' | 'SUSPENDED';
}

export interface BillingState {
  partnerAccountUuid: string;
  appId: string;
  tokens: AccountToken[];
  checkouts: Checkout[];
  subscriptions: Subscription[];
}

/** A fresh partner account owning one app, with a token holding every billing scope. */
export function newBillingState(): BillingState {
  const partnerAccountUuid = randomUUID();
  return {
    partnerAccountUuid,
    appId: String(10_000 + (randomBytes(2).readUInt16BE() % 50_000)),
    tokens: [{ token: randomBytes(20).toString('hex'), accountUuid: partnerAccountUuid, scopes: [...BILLING_SCOPES] }],
    checkouts: [],
    subscriptions: [],
  };
}

export interface CheckoutItemInput {
  subscriptionId?: string;
  product?: { id?: string; type?: string; productLevel?: string };
  scope?: { id?: string; type?: string };
  pricingPlan?: { interval?: string; price?: { value?: number; currencyCode?: string }; trialDays?: number };
  description?: string;
  redirectUrl?: string;
}
