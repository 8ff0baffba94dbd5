/**
 * The Plan tab: the store's plan and what it uses of it, the billing cycle, a pending downgrade, the
 * charges recorded, and the form to change plan (upgrades at once with a prorated charge, downgrades at
 * the end of the cycle).
 */
import { Router } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { adminOf } from '../http/admin-auth.ts';
import { formatCents } from './billing.ts';
import { planById } from './plans.config.ts';
import { changePlan, getPlanState, type PlanChange } from './plans.service.ts';
import { usageOf } from './usage.repo.ts';

const CHANGED: Record<PlanChange, (plan: string) => string> = {
  upgraded: (plan) => `You are now on the ${plan} plan; its limit applies at once.`,
  'downgrade-scheduled': (plan) => `You move to the ${plan} plan at the end of this billing cycle.`,
  'downgrade-cancelled': (plan) => `The scheduled change is cancelled: you stay on the ${plan} plan.`,
  unchanged: (plan) => `You are already on the ${plan} plan.`,
};

export function plansRoutes(deps: AdminDeps): Router {
  const router = Router();

  router.get('/admin/plan', async (_req, res) => {
    const { storeHash } = adminOf(res);
    const [state, usage] = await Promise.all([getPlanState(deps.db, storeHash), usageOf(deps.db, storeHash)]);
    await renderAdmin(deps, res, 'pages/plan/index', {
      title: 'Plan',
      tab: 'plan',
      state,
      usage,
      plans: state.plans.map((plan) => ({
        ...plan,
        price: plan.monthlyPriceCents === 0 ? 'Free' : `${formatCents(plan.monthlyPriceCents)} a month`,
        current: plan.id === state.plan.id,
        pending: plan.id === state.pending?.plan.id,
        fits: plan.assignedProductLimit === null || state.assigned <= plan.assignedProductLimit,
      })),
      charges: state.charges.map((charge) => ({ ...charge, amount: formatCents(charge.amount_cents) })).reverse(),
    });
  });

  router.post('/admin/plan', async (req, res) => {
    const { storeHash } = adminOf(res);
    const planId = String((req.body as Record<string, unknown> | undefined)?.planId ?? '');
    const change = await changePlan(deps.db, storeHash, planId);
    await redirectAdmin(deps, res, '/admin/plan', { kind: 'success', text: CHANGED[change](planById(planId)?.name ?? planId) });
  });

  return router;
}
