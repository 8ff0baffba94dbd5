/**
 * The sandbox's Account API (Unified Billing) on its own, over HTTP as any client sends it: the documented
 * answers and every documented refusal (GraphQL `errors`, HTTP 200), the merchant checkout page, time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let partner: { partnerAccountUuid: string; accountApiToken: string; appId: string };
let merchant: string;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  t = await startTestSandbox({ seed: 'empty' });
  partner = t.sandbox.billing.config();
  merchant = ((await t.get('/v2/store')).body as { account_uuid: string }).account_uuid;
});
afterAll(async () => {
  await t?.stop();
});

async function graphql(query: string, variables: Record<string, unknown>, options: { token?: string; account?: string } = {}) {
  const response = await fetch(`${t.sandbox.url}/accounts/${options.account ?? partner.partnerAccountUuid}/graphql`, {
    method: 'POST',
    headers: { 'X-Auth-Token': options.token ?? partner.accountApiToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ message: string }> } };
}

const CREATE =
  'mutation ($checkout: CreateCheckoutInput!) { checkout { createCheckout(input: $checkout) { checkout { id status checkoutUrl items { edges { node { subscriptionId status } } } } } } }';
const SUBSCRIPTIONS =
  'query ($filters: SubscriptionFiltersInput) { account { subscriptions(filters: $filters) { edges { node { id status currentPeriodEnd product { productLevel } } } } } }';
const CANCEL =
  'mutation ($subscription: CancelSubscriptionInput!) { subscription { cancelSubscription(input: $subscription) { subscriptionId cancelledAt } } }';

const item = (overrides: Record<string, unknown> = {}) => ({
  product: { id: `bc/account/product/${partner.appId}`, type: 'APPLICATION', productLevel: 'Starter' },
  scope: { id: `bc/account/scope/${t.storeHash}`, type: 'STORE' },
  pricingPlan: { interval: 'MONTH', price: { value: 9.99, currencyCode: 'USD' }, trialDays: 0 },
  description: 'Starter',
  redirectUrl: 'https://example.com/back',
  ...overrides,
});
const create = (items: unknown[], options?: { token?: string; account?: string }) =>
  graphql(CREATE, { checkout: { accountId: `bc/account/account/${merchant}`, items } }, options);
const refusal = (answer: Awaited<ReturnType<typeof graphql>>) => ({ status: answer.status, errors: answer.body.errors?.map((e) => e.message) });

/** The item of a checkout that moves subscription `id` to Growth. */
const toGrowth = (id: string) => ({
  subscriptionId: id,
  product: { productLevel: 'Growth' },
  pricingPlan: { interval: 'MONTH', price: { value: 29.99, currencyCode: 'USD' } },
  description: 'Growth',
  redirectUrl: 'https://example.com/back',
});

/** A completed checkout's subscription id. */
async function subscribed(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await create([item(overrides)]);
  const checkout = created.body.data.checkout.createCheckout.checkout;
  return t.sandbox.billing.book.accept(checkout.id.split('/').pop()).item.subscriptionId!;
}

describe('the Account API', () => {
  it('when a checkout is created, then it is PENDING with a checkoutUrl in the store’s control panel, and accepting it makes an ACTIVE subscription', async () => {
    const created = await create([item()]);
    expect(created.status).toBe(200);
    const checkout = created.body.data.checkout.createCheckout.checkout;
    expect(checkout).toMatchObject({ status: 'PENDING', items: { edges: [{ node: { subscriptionId: null, status: 'PENDING' } }] } });
    expect(checkout.checkoutUrl).toMatch(new RegExp(`/__sandbox/stores/${t.storeHash}/manage/merchant-checkout\\?checkoutId=[0-9a-f-]{36}$`));
    const page = await (await fetch(checkout.checkoutUrl)).text();
    expect(page).toContain('$9.99 a month');
    const accepted = await fetch(checkout.checkoutUrl.split('?')[0], {
      method: 'POST',
      body: new URLSearchParams({ checkoutId: checkout.id.split('/').pop(), choice: 'accept' }),
      redirect: 'manual',
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('https://example.com/back');
    const read = await graphql('query ($checkoutId: ID!) { account { checkout(id: $checkoutId) { status items { edges { node { subscriptionId } } } } } }', {
      checkoutId: checkout.id,
    });
    expect(read.body.data.account.checkout.status).toBe('COMPLETE');
    const subscriptions = await graphql(SUBSCRIPTIONS, { filters: { scopeId: `bc/account/scope/${t.storeHash}` } });
    expect(subscriptions.body.data.account.subscriptions.edges[0].node).toMatchObject({
      id: read.body.data.account.checkout.items.edges[0].node.subscriptionId,
      status: 'ACTIVE',
      product: { productLevel: 'Starter' },
    });
  });

  it('when a token belongs to another account than the app’s, then “Product is not supported for your account.”', async () => {
    const other = '0b2d26c8-e4e2-4635-9c99-8bf3cfd93153';
    expect(refusal(await create([item()], { token: t.sandbox.billing.issueToken({ accountUuid: other }), account: other }))).toEqual({
      status: 200,
      errors: ['Product is not supported for your account.'],
    });
  });

  it('when the scope is not a store of the merchant’s account, then “Scope does not belong to account.”', async () => {
    expect(refusal(await create([item({ scope: { id: 'bc/account/scope/nosuchstore', type: 'STORE' } })]))).toEqual({
      status: 200,
      errors: ['Scope does not belong to account.'],
    });
  });

  it('when the token lacks the operation’s scope or acts for another account, then “You do not have permission to do this operation.”', async () => {
    const readOnly = t.sandbox.billing.issueToken({ scopes: ['account_checkouts_read', 'account_subscriptions_read'] });
    const denied = { status: 200, errors: ['You do not have permission to do this operation.'] };
    expect(refusal(await create([item()], { token: readOnly }))).toEqual(denied);
    expect(refusal(await graphql(CANCEL, { subscription: { id: 'bc/account/subscription/x' } }, { token: readOnly }))).toEqual(denied);
    expect(refusal(await create([item()], { account: '0b2d26c8-e4e2-4635-9c99-8bf3cfd93153' }))).toEqual(denied);
    expect((await create([item()], { token: 'not-a-token' })).status).toBe(401);
  });

  it('when a trial subscription is to be changed, then “Checkouts are not available for existing trial subscriptions.”', async () => {
    const id = await subscribed({ pricingPlan: { interval: 'MONTH', price: { value: 9.99, currencyCode: 'USD' }, trialDays: 14 } });
    const update = toGrowth(id);
    expect(refusal(await create([update]))).toEqual({ status: 200, errors: ['Checkouts are not available for existing trial subscriptions.'] });
    // A trial cancelled ends at once.
    const cancelled = await graphql(CANCEL, { subscription: { id } });
    expect(Date.parse(cancelled.body.data.subscription.cancelSubscription.cancelledAt)).toBeLessThanOrEqual(Date.now());
  });

  it('when an update changes the scope, the product or adds a trial, or its subscription is not active, then each documented message', async () => {
    const id = await subscribed();
    const update = toGrowth(id);
    expect(refusal(await create([{ ...update, scope: { id: `bc/account/scope/${t.storeHash}`, type: 'STORE' } }])).errors).toEqual([
      'Scope updates are not allowed for an existing subscription.',
    ]);
    expect(refusal(await create([{ ...update, product: { id: 'bc/account/product/1', productLevel: 'Growth' } }])).errors).toEqual([
      'Product updates are not allowed for an existing subscription.',
    ]);
    expect(refusal(await create([{ ...update, pricingPlan: { ...update.pricingPlan, trialDays: 7 } }])).errors).toEqual([
      'Trial days cannot be added to existing subscriptions.',
    ]);
    expect(refusal(await create([{ ...update, subscriptionId: 'bc/account/subscription/none' }])).errors).toEqual(['Could not find active subscription.']);
  });

  it('when a paid subscription is cancelled, then it ends at the end of its period: ACTIVE until then, CANCELLED after', async () => {
    const id = await subscribed();
    const cancelled = (await graphql(CANCEL, { subscription: { id } })).body.data.subscription.cancelSubscription;
    const periodEnd = t.sandbox.billing.book.subscriptions({ ids: [id] })[0]!.currentPeriodEnd;
    expect(Date.parse(cancelled.cancelledAt)).toBe(periodEnd);
    expect(t.sandbox.billing.book.subscriptions({ ids: [id] })[0]!.status).toBe('ACTIVE');
    t.sandbox.billing.book.update(id, { cancelledAt: Date.now() - 1 });
    expect(t.sandbox.billing.book.subscriptions({ ids: [id] })[0]!.status).toBe('CANCELLED');
  });

  it('when a checkout link is older than 24 hours, then the store owner cannot accept it', async () => {
    const checkout = (await create([item()])).body.data.checkout.createCheckout.checkout;
    const id = checkout.id.split('/').pop();
    t.sandbox.billing.book.age(id, DAY + 1000);
    expect(await (await fetch(checkout.checkoutUrl)).text()).toContain('This checkout link has expired.');
    const refused = await fetch(checkout.checkoutUrl.split('?')[0], {
      method: 'POST',
      body: new URLSearchParams({ checkoutId: id, choice: 'accept' }),
      redirect: 'manual',
    });
    expect(refused.status).toBe(409);
  });
});
