/**
 * Plans charged through Unified Billing, end to end in Chromium against the sandbox: the admin in the
 * sandbox control panel's frame, the checkout in the top window where the store owner accepts or leaves,
 * back through the checkout's redirectUrl to the Plan page; the limit rises only after BigCommerce reports
 * the subscription active; downgrades and cancels wait for the period's end; the jobs follow BigCommerce.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHousekeeping } from '../../server/workers/housekeeping.worker.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import type { TestApp } from '../helpers/app.ts';
import { installedApp, type InstalledApp } from '../helpers/installed-app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { assignedAlready } from '../helpers/plans.ts';
import { eventually } from '../helpers/wait.ts';

let installed: InstalledApp;
let sandbox: Sandbox;
let app: TestApp;
let browser: Browser;
let page: Page;
let storeHash: string;
const errors: string[] = [];
const DAY = 24 * 3600 * 1000;

/** The store's plan row; a store that never changed plan has none and is on Free. */
const plan = async () =>
  (await app.database.db.selectFrom('store_plans').selectAll().where('store_hash', '=', storeHash).executeTakeFirst()) ?? {
    plan_id: 'free',
    subscription_id: null,
    synced_at: null,
  };
const subscription = () => sandbox.billing.book.subscriptions({ scopeId: `bc/account/scope/${storeHash}` })[0]!;

/** The admin's frame in the control panel page (after any navigation of the top window). */
async function admin(): Promise<Frame> {
  await page.locator('iframe[title="BackOrder"]').waitFor();
  return (await (await page.locator('iframe[title="BackOrder"]').elementHandle())!.contentFrame())!;
}

async function openPlanPage(): Promise<Frame> {
  await page.goto(`${sandbox.url}/__sandbox/stores/${storeHash}/manage/app`);
  const frame = await admin();
  await frame.waitForURL(/\/admin\/products\?session=/);
  await frame.getByRole('link', { name: 'Plan', exact: true }).click();
  await frame.waitForURL(/\/admin\/plan\?session=/);
  return frame;
}

/** Opens the confirmation of a change of plan from the Plan page. */
async function choose(frame: Frame, link: string): Promise<void> {
  await frame.getByRole('link', { name: link }).click();
  await frame.waitForURL(/\/admin\/plan\/change\?/);
}

/** The `billing-sync` job of every store, as the nightly housekeeping queues it, run by the app's workers. */
async function nightlySync(): Promise<void> {
  const before = (await plan()).synced_at?.getTime() ?? 0;
  await runHousekeeping({ db: app.database.db, queues: app.queues }, { name: 'sync-billing' });
  await eventually(async () => expect((await plan()).synced_at?.getTime() ?? 0).toBeGreaterThan(before), 20_000);
}

beforeAll(async () => {
  // As `npm start` runs it: the sandbox's control panel frames the admin and its Unified Billing charges.
  [installed, browser] = await Promise.all([
    installedApp({ seed: 'empty', config: (sandboxUrl, billing) => ({ extraFrameAncestors: [sandboxUrl], unifiedBilling: billing }) }),
    launchBrowser(),
  ]);
  ({ sandbox, app, storeHash } = installed);
  // Sixty products assigned (more than Starter's 50), as the merchant's work would leave them.
  await assignedAlready(app.database.db, storeHash, 60);
  page = await browser.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
}, 120_000);
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await installed?.stop();
});

describe('plans through Unified Billing', () => {
  it('when the merchant buys Growth, then the checkout opens in the top window and the limit rises only once it is accepted', async () => {
    let frame = await openPlanPage();
    expect(await frame.getByRole('heading', { name: 'Your plan: Free' }).count()).toBe(1);
    await choose(frame, 'Switch to Growth');
    expect(await frame.locator('[data-plan-price]').textContent()).toBe('$29.99 a month');
    expect(await frame.locator('[data-plan-effective]').textContent()).toBe('once you accept the checkout on BigCommerce and BigCommerce reports it active');
    await frame.getByRole('link', { name: 'Continue to BigCommerce to accept $29.99 a month' }).click();
    await page.waitForURL(/\/manage\/merchant-checkout\?checkoutId=/);
    expect(await page.locator('main strong').textContent()).toBe('$29.99 a month');
    expect(await plan()).toMatchObject({ plan_id: 'free', subscription_id: null });

    await page.getByRole('button', { name: 'Accept and pay' }).click();
    await page.waitForURL(new RegExp(`/manage/app/${sandbox.billing.config().appId}/plan$`));
    frame = await admin();
    await frame.waitForURL(/\/admin\/plan\?session=/);
    expect(await frame.getByRole('heading', { name: 'Your plan: Growth' }).count()).toBe(1);
    expect(await frame.locator('[data-plan-subscription]').textContent()).toMatch(/^Billed by BigCommerce: \$29\.99 a month; the current period ends on /);
    expect(await plan()).toMatchObject({ plan_id: 'growth' });
  });

  it('when a checkout for Scale is left unaccepted, then nothing changes and the page waits for BigCommerce', async () => {
    let frame = await openPlanPage();
    await choose(frame, 'Switch to Scale');
    expect(await frame.getByText('BigCommerce prorates the change on your BigCommerce invoice').count()).toBe(1);
    await frame.getByRole('link', { name: /Continue to BigCommerce to accept/ }).click();
    await page.waitForURL(/\/manage\/merchant-checkout\?checkoutId=/);
    await page.getByRole('button', { name: 'Back to the app' }).click();
    frame = await admin();
    await frame.waitForURL(/\/admin\/plan\?session=/);
    expect(await frame.getByRole('heading', { name: 'Waiting for BigCommerce' }).count()).toBe(1);
    expect(await frame.getByRole('heading', { name: 'Your plan: Growth' }).count()).toBe(1);
    expect(await plan()).toMatchObject({ plan_id: 'growth' });
  });

  it('when the merchant continues and accepts the change to Scale, then the subscription is updated and Scale applies', async () => {
    const before = subscription().id;
    let frame = await openPlanPage();
    await frame.getByRole('link', { name: 'Continue to BigCommerce to accept' }).click();
    await page.waitForURL(/\/manage\/merchant-checkout\?checkoutId=/);
    expect(await page.getByText('a change of your subscription').count()).toBe(1);
    await page.getByRole('button', { name: 'Accept and pay' }).click();
    frame = await admin();
    await frame.waitForURL(/\/admin\/plan\?session=/);
    await frame.getByRole('heading', { name: 'Your plan: Scale' }).waitFor();
    expect(subscription()).toMatchObject({ id: before, productLevel: 'Scale', price: 79.99 });
  });

  it('when a downgrade below the assigned count is scheduled, then the page warns, shows it, and it can be withdrawn before the period ends', async () => {
    // The period ends at 20:00 UTC, already the next day on Kiritimati (UTC+14), the store's zone: every page
    // names the day of the store's calendar.
    const periodEnd = new Date(Date.now() + 20 * DAY);
    periodEnd.setUTCHours(20, 0, 0, 0);
    sandbox.billing.book.update(subscription().id, { currentPeriodEnd: periodEnd.getTime() });
    await nightlySync();
    await app.database.db.updateTable('stores').set({ timezone: 'Pacific/Kiritimati' }).where('store_hash', '=', storeHash).execute();
    const day = (dateStyle: 'medium' | 'long') => new Intl.DateTimeFormat('en-US', { dateStyle, timeZone: 'Pacific/Kiritimati' }).format(periodEnd);
    const frame = await openPlanPage();
    expect(await frame.locator('[data-plan-subscription]').textContent()).toContain(`the current period ends on ${day('medium')}.`);
    await choose(frame, 'Switch to Starter');
    expect((await frame.locator('[data-plan-over-limit]').textContent())!.replace(/\s+/g, ' ')).toMatch(
      /^You have 60 products assigned; the Starter plan allows 50\. On .+ assigning more is blocked until fewer than 50 are assigned\. Nothing is unassigned for you/,
    );
    expect(await frame.locator('[data-plan-effective]').textContent()).toBe(`on ${day('long')}, at the end of your paid period`);
    await frame.getByRole('button', { name: 'Schedule the change to Starter' }).click();
    await frame.waitForURL(/\/admin\/plan\?session=/);
    expect(await frame.locator('[data-plan-scheduled]').textContent()).toContain(`you move to the Starter plan on ${day('medium')}`);
    await frame.getByText(`Scheduled: you move to the Starter plan on ${day('long')}.`).waitFor();
    await frame.getByText(/You can withdraw it on this page until two days before then, when BigCommerce is told of it\./).waitFor();
    await frame.getByRole('button', { name: 'Withdraw the scheduled change' }).click();
    await frame.getByText('The scheduled change is withdrawn: you stay on the Scale plan.').waitFor();
    expect(await frame.locator('[data-plan-scheduled]').count()).toBe(0);
    expect(await plan()).toMatchObject({ plan_id: 'scale', pending_plan_id: null });
  });

  it('when a cancel is scheduled, then the job tells BigCommerce before the period ends and moves the store to Free after it', async () => {
    let frame = await openPlanPage();
    await choose(frame, 'Switch to Free');
    await frame.getByRole('button', { name: 'Schedule the change to Free' }).click();
    await frame.waitForURL(/\/admin\/plan\?session=/);
    // The period now ends tomorrow: the nightly job sends the cancel, and the plan holds to the period's end.
    sandbox.billing.book.update(subscription().id, { currentPeriodEnd: Date.now() + DAY });
    await nightlySync();
    expect(await plan()).toMatchObject({ pending_plan_id: 'free' });
    expect(subscription().cancelledAt).not.toBeNull();
    expect(await plan()).toMatchObject({ plan_id: 'scale' });
    frame = await openPlanPage();
    expect(await frame.locator('[data-plan-subscription]').textContent()).toMatch(/BigCommerce ends the subscription on .+; you then move to the Free plan\./);
    // The period ends.
    sandbox.billing.book.update(subscription().id, { currentPeriodEnd: Date.now() - 1000, cancelledAt: Date.now() - 1000 });
    await nightlySync();
    frame = await openPlanPage();
    expect(await frame.getByRole('heading', { name: 'Your plan: Free' }).count()).toBe(1);
    expect(await frame.locator('[data-plan-limit]').textContent()).toContain('Your Free plan is over its limit — 60 assigned, limit 1');
  });

  it('when the owner accepts in another tab while the Plan page waits, then the page sees it by itself; cancelled on BigCommerce’s side, the nightly job moves the store back to Free', async () => {
    let frame = await openPlanPage();
    await choose(frame, 'Switch to Starter');
    await frame.getByRole('link', { name: /Continue to BigCommerce to accept/ }).click();
    await page.waitForURL(/\/manage\/merchant-checkout\?checkoutId=/);
    const checkoutId = new URL(page.url()).searchParams.get('checkoutId')!;
    await page.getByRole('button', { name: 'Back to the app' }).click();
    frame = await admin();
    await frame.getByRole('heading', { name: 'Waiting for BigCommerce' }).waitFor();
    sandbox.billing.book.accept(checkoutId);
    // The page polls (2 s, then backing off) and reloads once the plan changed.
    await frame.getByRole('heading', { name: 'Your plan: Starter' }).waitFor({ timeout: 15_000 });
    expect(await plan()).toMatchObject({ plan_id: 'starter' });
    sandbox.billing.book.update(subscription().id, { status: 'CANCELLED' });
    await nightlySync();
    expect(await plan()).toMatchObject({ plan_id: 'free', subscription_id: null });
    frame = await openPlanPage();
    expect(await frame.getByRole('heading', { name: 'Your plan: Free' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
