/**
 * Unified Billing as the sandbox plays it (facts: ../shared/reference/unified-billing.md): a partner
 * account that owns the app, account-level tokens with scopes, checkouts a store owner accepts or leaves,
 * the subscriptions they create or change, and cancellation at the end of the paid period. Time is read
 * lazily: a subscription past its period end renews, one past its `cancelledAt` is CANCELLED.
 * Refusals are the documented messages, thrown as BillingRefusal (GraphQL `errors`, HTTP 200).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  BILLING_SCOPES,
  BillingRefusal,
  CHECKOUT_TTL_MS,
  DAY_MS,
  INTERVAL_MONTHS,
  REFUSED,
  type AccountToken,
  type BillingScope,
  type BillingState,
  type Checkout,
  type CheckoutItem,
  type CheckoutItemInput,
  type Interval,
  type Subscription,
} from './billing-model.ts';

export { BILLING_SCOPES, BillingRefusal, CHECKOUT_TTL_MS, newBillingState, type BillingScope, type BillingState } from './billing-model.ts';

const gid = (kind: string, id: string) => `bc/account/${kind}/${id}`;
const uuidOf = (globalId: unknown, kind: string) => {
  const prefix = `bc/account/${kind}/`;
  return typeof globalId === 'string' && globalId.startsWith(prefix) ? globalId.slice(prefix.length) : undefined;
};

function addMonths(at: number, months: number): number {
  const date = new Date(at);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

/** The billing book of the sandbox: what the Account API reads and changes. */
export class BillingBook {
  constructor(
    readonly state: BillingState,
    /** The account UUID of a store (its owner's account), or undefined for an unknown store. */
    private readonly accountOfStore: (storeHash: string) => string | undefined,
    /** Where a store's control panel lives (checkout URLs point there). */
    private readonly controlPanelUrl: (storeHash: string) => string,
    private readonly changed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's record, when it may act for `accountUuid` with `scope`; throws the documented refusal otherwise. */
  authorize(token: string | undefined, accountUuid: string, scope: BillingScope): AccountToken | undefined {
    const record = this.state.tokens.find((t) => t.token === token);
    if (!record) return undefined;
    if (record.accountUuid !== accountUuid || !record.scopes.includes(scope)) throw new BillingRefusal(REFUSED.permission);
    return record;
  }

  /** A token for `accountUuid` (default: the partner's) with the given scopes. */
  issueToken(options: { accountUuid?: string; scopes?: BillingScope[] } = {}): AccountToken {
    const record = {
      token: randomBytes(20).toString('hex'),
      accountUuid: options.accountUuid ?? this.state.partnerAccountUuid,
      scopes: [...(options.scopes ?? BILLING_SCOPES)],
    };
    this.state.tokens.push(record);
    this.changed();
    return record;
  }

  createCheckout(callerAccount: string, input: { accountId?: string; items?: CheckoutItemInput[] }): Checkout {
    const merchant = uuidOf(input.accountId, 'account');
    const entry = input.items?.[0];
    if (!merchant || !entry || (input.items?.length ?? 0) !== 1) throw new BillingRefusal('accountId and exactly one item are required.');
    const plan = entry.pricingPlan;
    const interval = plan?.interval as Interval;
    if (!plan || !(interval in INTERVAL_MONTHS) || typeof plan.price?.value !== 'number' || plan.price.currencyCode !== 'USD') {
      throw new BillingRefusal('pricingPlan needs an interval and a price in USD.');
    }
    if (!entry.description || !entry.redirectUrl) throw new BillingRefusal('description and redirectUrl are required.');
    const appProduct = gid('product', this.state.appId);
    let item: CheckoutItem;
    if (entry.subscriptionId) {
      if (entry.scope) throw new BillingRefusal(REFUSED.scopeUpdate);
      if (entry.product?.id && entry.product.id !== appProduct) throw new BillingRefusal(REFUSED.productUpdate);
      if (plan.trialDays) throw new BillingRefusal(REFUSED.trialUpdate);
      const subscription = this.subscription(uuidOf(entry.subscriptionId, 'subscription') ?? '');
      if (!subscription || subscription.status !== 'ACTIVE') throw new BillingRefusal(REFUSED.noActive);
      if (subscription.accountUuid !== merchant) throw new BillingRefusal(REFUSED.scope);
      if (callerAccount !== this.state.partnerAccountUuid) throw new BillingRefusal(REFUSED.product);
      if (this.inTrial(subscription)) throw new BillingRefusal(REFUSED.trial);
      item = {
        ...this.itemBase(entry, interval, plan.price.value),
        subscriptionId: entry.subscriptionId,
        productLevel: entry.product?.productLevel ?? subscription.productLevel,
        storeHash: subscription.storeHash,
        productId: appProduct,
        trialDays: 0,
      };
    } else {
      if (callerAccount !== this.state.partnerAccountUuid || entry.product?.id !== appProduct || entry.product.type !== 'APPLICATION')
        throw new BillingRefusal(REFUSED.product);
      const storeHash = uuidOf(entry.scope?.id, 'scope');
      if (!storeHash || entry.scope?.type !== 'STORE' || this.accountOfStore(storeHash) !== merchant) throw new BillingRefusal(REFUSED.scope);
      item = {
        ...this.itemBase(entry, interval, plan.price.value),
        subscriptionId: null,
        productLevel: entry.product.productLevel ?? '',
        storeHash,
        productId: appProduct,
        trialDays: plan.trialDays ?? 0,
      };
    }
    const checkout: Checkout = { id: randomUUID(), accountUuid: merchant, status: 'PENDING', createdAt: this.now(), item };
    this.state.checkouts.push(checkout);
    this.changed();
    return checkout;
  }

  private itemBase(entry: CheckoutItemInput, interval: Interval, price: number) {
    return { status: 'PENDING' as const, interval, price, description: entry.description!, redirectUrl: entry.redirectUrl! };
  }

  checkout(id: string): Checkout | undefined {
    return this.state.checkouts.find((c) => c.id === id);
  }

  checkoutUrl(checkout: Checkout): string {
    return `${this.controlPanelUrl(checkout.item.storeHash)}/manage/merchant-checkout?checkoutId=${checkout.id}`;
  }

  expired(checkout: Checkout): boolean {
    return this.now() - checkout.createdAt > CHECKOUT_TTL_MS;
  }

  /** The store owner accepts: a new subscription, or the change applied to the existing one (BigCommerce prorates). */
  accept(checkoutId: string): Checkout {
    const checkout = this.checkout(checkoutId);
    if (!checkout) throw new BillingRefusal('There is no such checkout.');
    if (checkout.status === 'COMPLETE') return checkout;
    if (this.expired(checkout)) throw new BillingRefusal('This checkout link has expired.');
    const now = this.now();
    const { item } = checkout;
    if (item.subscriptionId) {
      const subscription = this.subscription(uuidOf(item.subscriptionId, 'subscription') ?? '');
      if (!subscription || subscription.status !== 'ACTIVE') throw new BillingRefusal(REFUSED.noActive);
      Object.assign(subscription, { productLevel: item.productLevel, price: item.price, updatedAt: now });
      if (subscription.interval !== item.interval) {
        subscription.interval = item.interval;
        subscription.currentPeriodEnd = addMonths(now, INTERVAL_MONTHS[item.interval]) || now + DAY_MS;
      }
    } else {
      const activationDate = now + item.trialDays * DAY_MS;
      const subscription: Subscription = {
        id: randomUUID(),
        accountUuid: checkout.accountUuid,
        storeHash: item.storeHash,
        productId: item.productId,
        productLevel: item.productLevel,
        interval: item.interval,
        price: item.price,
        trialDays: item.trialDays,
        activationDate,
        createdAt: now,
        updatedAt: now,
        currentPeriodEnd: addMonths(activationDate, INTERVAL_MONTHS[item.interval]) || activationDate + DAY_MS,
        cancelledAt: null,
        status: 'ACTIVE',
      };
      this.state.subscriptions.push(subscription);
      item.subscriptionId = gid('subscription', subscription.id);
    }
    checkout.status = 'COMPLETE';
    item.status = 'COMPLETE';
    this.changed();
    return checkout;
  }

  /** A subscription brought up to now: renewed past its period end, ended past its `cancelledAt`. */
  subscription(id: string): Subscription | undefined {
    const subscription = this.state.subscriptions.find((s) => s.id === id);
    if (subscription) this.bringUpToDate(subscription);
    return subscription;
  }

  subscriptions(filter: { scopeId?: string; productId?: string; status?: string; ids?: string[] } = {}): Subscription[] {
    for (const subscription of this.state.subscriptions) this.bringUpToDate(subscription);
    return this.state.subscriptions
      .filter((s) => !filter.scopeId || gid('scope', s.storeHash) === filter.scopeId)
      .filter((s) => !filter.productId || s.productId === filter.productId)
      .filter((s) => !filter.status || s.status === filter.status)
      .filter((s) => !filter.ids || filter.ids.includes(gid('subscription', s.id)))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Paid subscriptions end at the end of the period; trials and those not invoiced yet end at once. */
  cancel(globalId: string, callerAccount: string): Subscription {
    const subscription = this.subscription(uuidOf(globalId, 'subscription') ?? '');
    if (!subscription || subscription.status !== 'ACTIVE') throw new BillingRefusal(REFUSED.noActive);
    if (callerAccount !== this.state.partnerAccountUuid) throw new BillingRefusal(REFUSED.product);
    const now = this.now();
    if (this.inTrial(subscription)) Object.assign(subscription, { cancelledAt: now, status: 'CANCELLED' });
    else subscription.cancelledAt = subscription.currentPeriodEnd;
    subscription.updatedAt = now;
    this.changed();
    return subscription;
  }

  /** Changes a subscription as the control panel or time would (cancelled there, payment failed, period over). */
  update(id: string, patch: Partial<Pick<Subscription, 'status' | 'currentPeriodEnd' | 'cancelledAt'>>): Subscription {
    const subscription = this.state.subscriptions.find((s) => s.id === uuidOf(id, 'subscription') || s.id === id);
    if (!subscription) throw new BillingRefusal('There is no such subscription.');
    Object.assign(subscription, patch, { updatedAt: this.now() });
    this.changed();
    return this.subscription(subscription.id)!;
  }

  /** Moves a checkout's creation back by `ms` (to see a link expire). */
  age(checkoutId: string, ms: number): void {
    const checkout = this.checkout(checkoutId);
    if (!checkout) throw new BillingRefusal('There is no such checkout.');
    checkout.createdAt -= ms;
    this.changed();
  }

  private inTrial(subscription: Subscription): boolean {
    return subscription.trialDays > 0 && this.now() < subscription.activationDate;
  }

  private bringUpToDate(subscription: Subscription): void {
    const now = this.now();
    if (subscription.status !== 'ACTIVE') return;
    if (subscription.cancelledAt !== null && now >= subscription.cancelledAt) {
      subscription.status = 'CANCELLED';
      subscription.updatedAt = now;
      return;
    }
    const months = INTERVAL_MONTHS[subscription.interval];
    if (months === 0 || subscription.cancelledAt !== null) return;
    while (subscription.currentPeriodEnd <= now) subscription.currentPeriodEnd = addMonths(subscription.currentPeriodEnd, months);
  }
}

export { gid as billingId, uuidOf as billingUuidOf };
