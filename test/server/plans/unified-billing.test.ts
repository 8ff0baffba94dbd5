/**
 * Plans charged through Unified Billing, with the real Account API client against the sandbox's GraphQL
 * endpoint and its merchant checkout: the limit changes only once BigCommerce reports the subscription
 * active; links expire and are replaced; downgrades and cancels wait for the period's end; the sync
 * follows what BigCommerce reports; every documented refusal reaches the merchant as a clear message.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnifiedBilling } from '../../../server/bigcommerce/unified-billing.ts';
import type { UnifiedBilling } from '../../../server/bigcommerce/index.ts';
import { previewChange, scheduleChange, withdrawChange, type BillingDeps } from '../../../server/plans/billing.service.ts';
import { checkoutProgress, checkoutUrlFor } from '../../../server/plans/checkouts.service.ts';
import { syncSubscription } from '../../../server/plans/subscription-sync.service.ts';
import { pollCheckout } from '../../../server/plans/billing.jobs.ts';
import { getPlanState } from '../../../server/plans/plans.service.ts';
import { endSubscriptionAfterUninstall } from '../../../server/app-lifecycle/uninstall.service.ts';
import { uninstallStore } from '../../../server/stores/stores.service.ts';
import { startSandbox, type Sandbox } from '../../../sandbox/index.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';
import { assignOneUnderPlan } from '../../helpers/plans.ts';
import { eventually } from '../../helpers/wait.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';

const database = useTestDatabase({ poolSize: 5 });
let sandbox: Sandbox;
let deps: BillingDeps;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  sandbox = await startSandbox({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, seed: 'empty', rateLimit: { quota: 0, windowMs: 30_000 } });
  deps = { db: database.db, billing: createUnifiedBilling(sandbox.billing.config(), sandbox.url) };
});
afterAll(async () => {
  await sandbox?.stop();
});

/** A sandbox store known to the app as an install records it: its account and control panel. */
async function newStore(): Promise<string> {
  const { storeHash } = await sandbox.createStore({ seed: 'empty' });
  const info = sandbox.store(storeHash) as unknown as { context: { state: { account_uuid: string } } };
  await createStore(database.db, storeHash);
  await database.db
    .updateTable('stores')
    .set({ account_uuid: info.context.state.account_uuid, control_panel_url: `${sandbox.url}/__sandbox/stores/${storeHash}` })
    .where('store_hash', '=', storeHash)
    .execute();
  return storeHash;
}

/**
 * Runs `work` while another transaction holds the store's plan row, and `meanwhile` once work waits for it;
 * then lets the work go on.
 */
async function whileThePlanIsLocked<T>(storeHash: string, work: () => Promise<T>, meanwhile: () => Promise<unknown>): Promise<T> {
  let release!: () => void;
  const locked = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const holder = database.db.transaction().execute(async (trx) => {
    await trx.selectFrom('store_plans').select('store_hash').where('store_hash', '=', storeHash).forUpdate().execute();
    holding();
    await locked;
  });
  await held;
  const done = work();
  await eventually(async () => {
    const waiting = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%store_plans%'`.execute(
      database.db,
    );
    expect(waiting.rows[0]!.n).toBe(1);
  });
  await meanwhile();
  release();
  await holder;
  return done;
}

const checkoutIdOf = (url: string) => new URL(url).searchParams.get('checkoutId')!;
async function assign(storeHash: string, n: number) {
  for (let i = 0; i < n; i++) await assignOneUnderPlan(database.db, storeHash);
}

/** Free → Starter, accepted in the sandbox's checkout and applied. */
async function subscribe(storeHash: string, planId = 'starter') {
  const url = await checkoutUrlFor(deps, storeHash, planId, 'MONTH');
  sandbox.billing.book.accept(checkoutIdOf(url));
  expect(await checkoutProgress(deps, storeHash)).toBe('applied');
}

describe('buying a plan', () => {
  it('when the merchant asks for a paid plan, then a checkout is created and the limit is raised only once BigCommerce reports it active', async () => {
    const store = await newStore();
    const url = await checkoutUrlFor(deps, store, 'starter', 'MONTH');
    expect(url).toMatch(new RegExp(`/__sandbox/stores/${store}/manage/merchant-checkout\\?checkoutId=`));
    const [checkout] = sandbox.billing.book.state.checkouts.filter((c) => c.item.storeHash === store);
    expect(checkout!.item).toMatchObject({ productLevel: 'Starter', interval: 'MONTH', price: 9.99, subscriptionId: null });
    expect(checkout!.item.redirectUrl).toBe(`${sandbox.url}/__sandbox/stores/${store}/manage/app/${sandbox.billing.config().appId}/plan`);

    expect(await checkoutProgress(deps, store)).toBe('waiting');
    expect(await getPlanState(database.db, store)).toMatchObject({ plan: { id: 'free' }, limit: 1, checkout: { plan_id: 'starter' } });
    await assign(store, 1);
    await expect(assign(store, 1)).rejects.toThrow('Your Free plan’s limit');

    sandbox.billing.book.accept(checkout!.id);
    expect(await checkoutProgress(deps, store)).toBe('applied');
    const state = await getPlanState(database.db, store);
    expect(state).toMatchObject({ plan: { id: 'starter' }, limit: 50, checkout: null, subscription: { interval: 'MONTH', priceCents: 999 } });
    expect(state.charges.map((c) => [c.kind, c.plan_id, c.amount_cents, c.bigcommerce_status])).toEqual([['subscription', 'starter', 999, 'ACTIVE']]);
    await assign(store, 1);
  });

  it('when the checkout is left unaccepted, then nothing changes and the poll job keeps asking', async () => {
    const store = await newStore();
    const url = await checkoutUrlFor(deps, store, 'growth', 'MONTH');
    await expect(pollCheckout(deps, { storeHash: store, checkoutId: `bc/account/checkout/${checkoutIdOf(url)}` })).rejects.toThrow('not completed');
    expect((await getPlanState(database.db, store)).plan.id).toBe('free');
  });

  it('when the merchant clicks again, then a good link is reused and an expired one (24 h) replaced', async () => {
    const store = await newStore();
    const first = await checkoutUrlFor(deps, store, 'starter', 'MONTH');
    expect(await checkoutUrlFor(deps, store, 'starter', 'MONTH')).toBe(first);
    const later = new Date(Date.now() + DAY + 60_000);
    const second = await checkoutUrlFor(deps, store, 'starter', 'MONTH', later);
    expect(second).not.toBe(first);
    expect((await getPlanState(database.db, store, later)).checkout).toMatchObject({ checkout_url: second, expired: false });
  });

  it('when a paid plan is raised, then the checkout carries the subscription and the new limit waits for acceptance', async () => {
    const store = await newStore();
    await subscribe(store);
    const subscriptionId = (await getPlanState(database.db, store)).subscription!.id;
    expect(await previewChange(database.db, store, 'growth')).toMatchObject({ kind: 'upgrade', effectiveAt: 'on-acceptance', priceCents: 2999 });
    const url = await checkoutUrlFor(deps, store, 'growth', 'MONTH');
    const checkout = sandbox.billing.book.checkout(checkoutIdOf(url))!;
    expect(checkout.item).toMatchObject({ subscriptionId, productLevel: 'Growth' });
    expect(await checkoutProgress(deps, store)).toBe('waiting');
    expect((await getPlanState(database.db, store)).plan.id).toBe('starter');
    sandbox.billing.book.accept(checkout.id);
    expect(await checkoutProgress(deps, store)).toBe('applied');
    const state = await getPlanState(database.db, store);
    expect(state).toMatchObject({ plan: { id: 'growth' }, limit: 500, subscription: { id: subscriptionId } });
    expect(state.charges.map((c) => c.kind)).toEqual(['subscription', 'change']);
  });
});

describe('downgrades and cancels', () => {
  it('when a downgrade below the assigned count is scheduled, then the preview warns, the change waits for the period end and can be withdrawn', async () => {
    const store = await newStore();
    await subscribe(store, 'growth');
    await assign(store, 3);
    const preview = await previewChange(database.db, store, 'free');
    expect(preview).toMatchObject({ kind: 'cancel', overLimit: { assigned: 3, limit: 1 } });
    await scheduleChange(database.db, store, 'free');
    let state = await getPlanState(database.db, store);
    expect(state).toMatchObject({ plan: { id: 'growth' }, pending: { plan: { id: 'free' }, sent: false } });
    expect(state.pending!.effectiveAt).toEqual(state.subscription!.periodEndsAt);
    expect(await syncSubscription(deps, store)).toMatchObject({ from: 'growth', to: 'growth', sent: null });
    await withdrawChange(database.db, store);
    state = await getPlanState(database.db, store);
    expect(state.pending).toBeNull();
  });

  it('when a cancel is due, then the sync tells BigCommerce, keeps the plan to the period end, then moves to Free', async () => {
    const store = await newStore();
    await subscribe(store, 'starter');
    await assign(store, 2);
    await scheduleChange(database.db, store, 'free');
    const subscription = (await getPlanState(database.db, store)).subscription!;
    // The period now ends tomorrow: within the notice, the cancel is sent.
    sandbox.billing.book.update(subscription.id, { currentPeriodEnd: Date.now() + DAY });
    expect(await syncSubscription(deps, store)).toMatchObject({ to: 'starter', sent: 'cancel' });
    let state = await getPlanState(database.db, store);
    expect(state).toMatchObject({ plan: { id: 'starter' }, pending: { sent: true } });
    expect(state.subscription!.cancelledAt).not.toBeNull();
    await expect(withdrawChange(database.db, store)).rejects.toThrow('can no longer be withdrawn');
    // The period ends.
    sandbox.billing.book.update(subscription.id, { currentPeriodEnd: Date.now() - 1000, cancelledAt: Date.now() - 1000 });
    expect(await syncSubscription(deps, store)).toMatchObject({ from: 'starter', to: 'free' });
    state = await getPlanState(database.db, store);
    expect(state).toMatchObject({ plan: { id: 'free' }, assigned: 2, overLimit: true, pending: null, subscription: null });
    expect(state.charges.map((c) => c.kind)).toEqual(['subscription', 'renewal', 'cancellation', 'ended']);
  });

  it('when a downgrade to a lower paid plan is due, then the sync offers its checkout, and the lower limit applies once the owner accepts it', async () => {
    const store = await newStore();
    await subscribe(store, 'growth');
    await scheduleChange(database.db, store, 'starter');
    const { id } = (await getPlanState(database.db, store)).subscription!;
    sandbox.billing.book.update(id, { currentPeriodEnd: Date.now() + DAY });
    expect(await syncSubscription(deps, store)).toMatchObject({ to: 'growth', sent: 'checkout' });
    const offered = (await getPlanState(database.db, store)).checkout!;
    expect(offered).toMatchObject({ plan_id: 'starter', subscription_id: id, price_cents: 999 });
    expect(await checkoutUrlFor(deps, store, 'starter', 'MONTH')).toBe(offered.checkout_url);
    // Its link expired: the next click opens a new one for the same change.
    const renewed = await checkoutUrlFor(deps, store, 'starter', 'MONTH', new Date(Date.now() + DAY + 60_000));
    expect(renewed).not.toBe(offered.checkout_url);
    expect((await getPlanState(database.db, store)).plan.id).toBe('growth');
    sandbox.billing.book.accept(checkoutIdOf(renewed));
    expect(await checkoutProgress(deps, store)).toBe('applied');
    expect(await getPlanState(database.db, store)).toMatchObject({ plan: { id: 'starter' }, limit: 50, pending: null, subscription: { id } });
  });

  it('when the subscription is cancelled on BigCommerce’s side, then the sync moves the store to Free', async () => {
    const store = await newStore();
    await subscribe(store, 'scale');
    const { id } = (await getPlanState(database.db, store)).subscription!;
    sandbox.billing.book.update(id, { status: 'SUSPENDED' });
    expect(await syncSubscription(deps, store)).toMatchObject({ from: 'scale', to: 'free' });
    expect((await getPlanState(database.db, store)).charges.at(-1)).toMatchObject({ kind: 'ended', bigcommerce_status: 'SUSPENDED' });
  });
});

describe('uninstalling', () => {
  it('when a store on a paid plan uninstalls, then BigCommerce is told to end the subscription with its period, once, and a scheduled change goes with it', async () => {
    const store = await newStore();
    await subscribe(store, 'growth');
    await scheduleChange(database.db, store, 'starter');
    const { id, periodEndsAt } = (await getPlanState(database.db, store)).subscription!;
    expect(await uninstallStore(database.db, store, 30)).toBe(true);

    expect(await endSubscriptionAfterUninstall(deps, store)).toBe('cancelled');
    expect(sandbox.billing.book.state.subscriptions.find((s) => s.id === id.split('/').pop())?.cancelledAt).toBe(periodEndsAt!.getTime());
    const state = await getPlanState(database.db, store);
    // Paid for until the period ends; then Free (shown on the Plan page if the merchant comes back).
    expect(state).toMatchObject({ plan: { id: 'growth' }, pending: null, subscription: { id, cancelledAt: periodEndsAt } });
    expect(state.charges.at(-1)).toMatchObject({ kind: 'cancellation', plan_id: 'free' });
    expect(state.charges.at(-1)!.description).toMatch(/^BackOrder was uninstalled, so cancelled on BigCommerce: the subscription ends on \d{4}-\d{2}-\d{2}$/);
    // The job tried again (BigCommerce slow to answer) tells nothing twice.
    expect(await endSubscriptionAfterUninstall(deps, store)).toBe('no-subscription');
  });

  it('when the store is installed again before the job runs, then its subscription is kept', async () => {
    const store = await newStore();
    await subscribe(store, 'starter');
    const { id } = (await getPlanState(database.db, store)).subscription!;
    await uninstallStore(database.db, store, 30);
    await database.db.updateTable('stores').set({ status: 'active' }).where('store_hash', '=', store).execute();
    expect(await endSubscriptionAfterUninstall(deps, store)).toBe('installed-again');
    expect(sandbox.billing.book.state.subscriptions.find((s) => s.id === id.split('/').pop())?.cancelledAt).toBeNull();
    expect((await getPlanState(database.db, store)).subscription!.cancelledAt).toBeNull();
  });

  it('when a store on the Free plan uninstalls, then there is nothing to cancel', async () => {
    const store = await newStore();
    await uninstallStore(database.db, store, 30);
    expect(await endSubscriptionAfterUninstall(deps, store)).toBe('no-subscription');
  });
});

describe('the ledger’s days', () => {
  const setTimezone = (store: string, timezone: string) => database.db.updateTable('stores').set({ timezone }).where('store_hash', '=', store).execute();

  /** A Starter store in Los Angeles whose period ends at 05:00 UTC on March 1: still February 28 there. */
  async function subscribedInLosAngelesUntilMarch1(): Promise<string> {
    const store = await newStore();
    await setTimezone(store, 'America/Los_Angeles');
    await subscribe(store, 'starter');
    const { id } = (await getPlanState(database.db, store)).subscription!;
    sandbox.billing.book.update(id, { currentPeriodEnd: Date.parse('2030-03-01T05:00:00Z') });
    return store;
  }

  it('when the store is far from UTC, then its lines name the day of the store’s calendar, as the Plan page does, and their keys the exact moment', async () => {
    const store = await subscribedInLosAngelesUntilMarch1();
    await syncSubscription(deps, store);
    const renewal = (await getPlanState(database.db, store)).charges.at(-1)!;
    expect(renewal).toMatchObject({ kind: 'renewal' });
    expect(renewal.description).toMatch(/, active on BigCommerce until 2030-02-28$/);
    expect(renewal.idempotency_key).toMatch(/:2030-03-01T05:00:00\.000Z$/);

    await uninstallStore(database.db, store, 30);
    expect(await endSubscriptionAfterUninstall(deps, store)).toBe('cancelled');
    expect((await getPlanState(database.db, store)).charges.at(-1)!.description).toBe(
      'BackOrder was uninstalled, so cancelled on BigCommerce: the subscription ends on 2030-02-28',
    );
  });

  it('when the store’s time zone changes while a line waits for the plan’s lock, then the line names the day in the new zone', async () => {
    const store = await subscribedInLosAngelesUntilMarch1();
    const movedToUtc = () => setTimezone(store, 'UTC');

    await whileThePlanIsLocked(store, () => syncSubscription(deps, store), movedToUtc);
    expect((await getPlanState(database.db, store)).charges.at(-1)!.description).toMatch(/, active on BigCommerce until 2030-03-01$/);

    await setTimezone(store, 'America/Los_Angeles');
    await uninstallStore(database.db, store, 30);
    await whileThePlanIsLocked(store, () => endSubscriptionAfterUninstall(deps, store), movedToUtc);
    expect((await getPlanState(database.db, store)).charges.at(-1)!.description).toMatch(/: the subscription ends on 2030-03-01$/);
  });
});

describe('the documented refusals', () => {
  const billingWith = (patch: Partial<ReturnType<Sandbox['billing']['config']>>): BillingDeps => ({
    db: database.db,
    billing: createUnifiedBilling({ ...sandbox.billing.config(), ...patch }, sandbox.url) as UnifiedBilling,
  });

  it('when the token belongs to another account than the app’s, then “Product is not supported for your account.”', async () => {
    const store = await newStore();
    const other = '0b2d26c8-e4e2-4635-9c99-8bf3cfd93153';
    const wrong = billingWith({ partnerAccountUuid: other, accountApiToken: sandbox.billing.issueToken({ accountUuid: other }) });
    await expect(checkoutUrlFor(wrong, store, 'starter', 'MONTH')).rejects.toThrow(
      'BigCommerce refused the checkout (Product is not supported for your account.)',
    );
  });

  it('when the store is not of the merchant’s account, then “Scope does not belong to account.”', async () => {
    const store = await newStore();
    await database.db.updateTable('stores').set({ account_uuid: '61db983a-cd07-4d6b-8b59-a5ffe285ca6a' }).where('store_hash', '=', store).execute();
    await expect(checkoutUrlFor(deps, store, 'starter', 'MONTH')).rejects.toThrow('BigCommerce refused the checkout (Scope does not belong to account.)');
  });

  it('when the token lacks the scope, then “You do not have permission to do this operation.”', async () => {
    const store = await newStore();
    const readOnly = billingWith({ accountApiToken: sandbox.billing.issueToken({ scopes: ['account_checkouts_read', 'account_subscriptions_read'] }) });
    await expect(checkoutUrlFor(readOnly, store, 'starter', 'MONTH')).rejects.toThrow(
      'BigCommerce refused the checkout (You do not have permission to do this operation.)',
    );
  });

  it('when the subscription is in its trial, then a change is refused with what to do', async () => {
    const store = await newStore();
    await subscribe(store);
    const { id } = (await getPlanState(database.db, store)).subscription!;
    const subscription = sandbox.billing.book.state.subscriptions.find((s) => `bc/account/subscription/${s.id}` === id)!;
    Object.assign(subscription, { trialDays: 14, activationDate: Date.now() + 14 * DAY });
    await expect(checkoutUrlFor(deps, store, 'growth', 'MONTH')).rejects.toThrow('BigCommerce does not let a plan change during its free trial');
  });
});
