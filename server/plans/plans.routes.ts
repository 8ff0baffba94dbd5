/**
 * The Plan tab: the store's plan and what it uses of it, the subscription BigCommerce reports, a change
 * scheduled for the end of the paid period, a checkout waiting for the merchant, and the ledger. Every
 * change goes through a confirmation page naming the price and when it takes effect. A checkout opens in
 * the top window (BigCommerce's checkout lives in the control panel, not in the app's frame).
 */
import { Router, type Request } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError } from '../errors.ts';
import { storeDay } from '../admin/view-helpers.ts';
import { adminOf } from '../http/admin-auth.ts';
import { formatCents, priceWords } from './billing.ts';
import { previewChange, scheduleChange, withdrawChange, type BillingDeps } from './billing.service.ts';
import { checkoutProgress, checkoutUrlFor } from './checkouts.service.ts';
import type { PlanInterval } from './plans.config.ts';
import { changePlan, getPlanState, knownPlan } from './plans.service.ts';
import { usageOf } from './usage.repo.ts';

/** The Plan page asks BigCommerce about an open checkout at most this often, however often it polls. */
const POLL_CACHE_MS = 2_000;

const field = (req: Request, name: string) => String((req.method === 'GET' ? req.query : ((req.body ?? {}) as Record<string, unknown>))[name] ?? '');
const intervalOf = (req: Request): PlanInterval => (field(req, 'interval') === 'ANNUAL' ? 'ANNUAL' : 'MONTH');

/** The Plan tab's routes. */
export function plansRoutes(deps: AdminDeps): Router {
  const router = Router();
  const billing = (): BillingDeps | undefined =>
    deps.billing ? { db: deps.db, billing: deps.billing, ...(deps.pollCheckout ? { pollCheckout: deps.pollCheckout } : {}) } : undefined;

  router.get('/admin/plan', async (_req, res) => {
    const { storeHash } = adminOf(res);
    const charged = billing();
    // Back from BigCommerce's checkout: ask afresh before showing the page (the poll's cache would hide an acceptance).
    if (charged) await checkoutProgress(charged, storeHash).catch((error: unknown) => deps.logger.warn({ err: error, storeHash }, 'checkout status not read'));
    const [state, usage] = await Promise.all([getPlanState(deps.db, storeHash), usageOf(deps.db, storeHash)]);
    await renderAdmin(deps, res, 'pages/plan/index', {
      title: 'Plan',
      tab: 'plan',
      state,
      usage,
      charged: Boolean(charged),
      subscriptionPrice: state.subscription?.priceCents != null ? priceWords(state.subscription.priceCents, state.subscription.interval) : null,
      checkoutPrice: state.checkout ? priceWords(state.checkout.price_cents, state.checkout.billing_interval) : null,
      plans: state.plans.map((plan) => ({
        ...plan,
        monthly: plan.monthlyPriceCents === 0 ? 'Free' : `${formatCents(plan.monthlyPriceCents)} a month`,
        annual: plan.annualPriceCents === null ? null : `${formatCents(plan.annualPriceCents)} a year`,
        current: plan.id === state.plan.id,
        pending: plan.id === state.pending?.plan.id,
      })),
      charges: state.charges.map((charge) => ({ ...charge, amount: formatCents(charge.amount_cents) })).reverse(),
    });
  });

  // The confirmation: what the change costs, when it takes effect, and what happens over the new limit.
  router.get('/admin/plan/change', async (req, res) => {
    const { storeHash } = adminOf(res);
    const charged = billing();
    const preview = charged
      ? await previewChange(deps.db, storeHash, field(req, 'planId'), intervalOf(req))
      : { ...(await previewChange(deps.db, storeHash, field(req, 'planId'), 'MONTH')), effectiveAt: 'at-once' as const };
    await renderAdmin(deps, res, 'pages/plan/change', {
      title: `Change to ${preview.to.name}`,
      tab: 'plan',
      preview,
      charged: Boolean(charged),
      price: preview.priceCents === 0 ? 'Free' : priceWords(preview.priceCents, preview.interval),
      // The day the Plan page names for the same moment: the store's, not UTC's.
      effectiveDate: preview.effectiveAt instanceof Date ? storeDay(preview.effectiveAt, adminOf(res).store.timezone, 'long') : null,
      scheduled: Boolean(charged) && (preview.kind === 'downgrade' || preview.kind === 'cancel'),
      checkout: Boolean(charged) && (preview.kind === 'subscribe' || preview.kind === 'upgrade'),
    });
  });

  // Opened in the top window: reuses the open checkout's link while it is good, else creates a new one.
  router.get('/admin/plan/checkout', async (req, res) => {
    const charged = billing();
    if (!charged)
      throw new AppError('conflict', 'This installation is not connected to BigCommerce Unified Billing: plans change without charge, from the Plan page.');
    res.redirect(303, await checkoutUrlFor(charged, adminOf(res).storeHash, field(req, 'planId'), intervalOf(req)));
  });

  router.post('/admin/plan/schedule', async (req, res) => {
    const preview = await scheduleChange(deps.db, adminOf(res).storeHash, field(req, 'planId'));
    const when = preview.effectiveAt instanceof Date ? storeDay(preview.effectiveAt, adminOf(res).store.timezone, 'long') : 'the end of your paid period';
    await redirectAdmin(deps, res, '/admin/plan', {
      kind: 'success',
      text: `Scheduled: you move to the ${preview.to.name} plan on ${when}. You can withdraw it on this page until two days before then, when BigCommerce is told of it.`,
    });
  });

  router.post('/admin/plan/withdraw', async (_req, res) => {
    const plan = await withdrawChange(deps.db, adminOf(res).storeHash);
    await redirectAdmin(deps, res, '/admin/plan', { kind: 'success', text: `The scheduled change is withdrawn: you stay on the ${plan.name} plan.` });
  });

  // Without Unified Billing: the change applies at once and nothing is charged.
  router.post('/admin/plan', async (req, res) => {
    if (billing()) throw new AppError('conflict', 'Plans are charged through BigCommerce: choose the plan on the Plan page and accept the checkout.');
    const plan = knownPlan(field(req, 'planId'));
    await changePlan(deps.db, adminOf(res).storeHash, plan.id);
    await redirectAdmin(deps, res, '/admin/plan', {
      kind: 'success',
      text: `You are now on the ${plan.name} plan; its limit applies at once. Nothing is charged.`,
    });
  });

  // What the page polls while waiting for BigCommerce (asked at most every POLL_CACHE_MS).
  router.get('/admin/plan/status', async (_req, res) => {
    const charged = billing();
    res.json({ progress: charged ? await checkoutProgress(charged, adminOf(res).storeHash, { cacheMs: POLL_CACHE_MS }) : 'none' });
  });

  return router;
}
