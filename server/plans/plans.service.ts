/**
 * Plans: what a store may assign. The plan in `store_plans` is the one BigCommerce reports active (Unified
 * Billing, billing.service.ts) — or, where no partner account is configured, the one the merchant chose,
 * without charge. When a store is over its plan's limit (after a downgrade took effect) nothing is
 * unassigned, but assigning is blocked until it is under the limit again.
 */
import type { Db } from '../db/database.ts';
import type { BillingCharge, PlanCheckout, StorePlan } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { findOpenCheckout } from './plan-checkouts.repo.ts';
import { DEFAULT_PLAN_ID, PLANS, planById, type Plan } from './plans.config.ts';
import { plural } from '../plural.ts';
import { countAssignedProducts, findStorePlan, listCharges, lockStorePlan, saveStorePlan } from './plans.repo.ts';

/** What a store may assign: its plan, how many products are assigned, and the limit. */
export interface PlanUsage {
  plan: Plan;
  assigned: number;
  /** null: no limit. */
  limit: number | null;
}

export interface PlanState extends PlanUsage {
  overLimit: boolean;
  /** While over the limit: what the admin says (counts, and how many to unassign). */
  overLimitNotice: string | null;
  /** The subscription BigCommerce reported for the plan; null on Free or without Unified Billing. */
  subscription: { id: string; interval: string | null; priceCents: number | null; periodEndsAt: Date | null; cancelledAt: Date | null } | null;
  /** A change scheduled for the end of the paid period; `sent` once BigCommerce was told. */
  pending: { plan: Plan; effectiveAt: Date; sent: boolean } | null;
  /** The checkout waiting for the merchant or for BigCommerce. */
  checkout: (PlanCheckout & { plan: Plan; expired: boolean }) | null;
  charges: BillingCharge[];
  plans: readonly Plan[];
}

/** The plan with this id, or a validation error naming the plans there are. */
export function knownPlan(id: string): Plan {
  const plan = planById(id);
  if (!plan)
    throw new AppError('validation', `There is no plan "${id}"; choose one of ${PLANS.map((p) => p.id).join(', ')}.`, {
      problems: [{ field: 'planId', message: 'unknown plan' }],
    });
  return plan;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The limit in numbers, with advice the merchant can follow (`additional`: how many more are wanted,
 * `planName` to name the plan when the sentence does not already): "3 assigned, limit 1: unassign 3 to
 * assign more, or upgrade your plan". When the request is larger than the plan can ever hold, unassigning
 * cannot make room for all of it: the words say so, and how many of it fit.
 */
export function limitWords(assigned: number, limit: number, additional = 1, planName?: string): string {
  const yourPlan = planName ? `your ${planName} plan` : 'your plan';
  const numbers = `${count(assigned)} assigned, limit ${count(limit)}`;
  const room = Math.max(0, limit - assigned);
  if (additional > limit) {
    const these = `of these ${count(additional)}`;
    const some =
      limit === 0 ? '' : room > 0 ? `, or assign only ${count(room)} ${these}` : `, or unassign ${count(assigned)} to assign ${count(limit)} ${these}`;
    return `${numbers}: ${yourPlan} holds at most ${plural(limit, 'product')}, so upgrade it to assign all ${count(additional)}${some}`;
  }
  const toUnassign = count(assigned + additional - limit);
  if (additional === 1) return `${numbers}: unassign ${toUnassign} to assign more, or upgrade ${yourPlan}`;
  const fit = room > 0 ? `only ${count(room)} of these ${count(additional)} fit; ` : '';
  return `${numbers}: ${fit}unassign ${toUnassign} to assign all ${count(additional)}, or upgrade ${yourPlan}`;
}

function overLimitNotice(plan: Plan, assigned: number): string | null {
  const limit = plan.assignedProductLimit;
  if (limit === null || assigned <= limit) return null;
  return `Your ${plan.name} plan is over its limit — ${limitWords(assigned, limit)}. Nothing is unassigned for you.`;
}

async function usageWithRow(db: Db, storeHash: string): Promise<{ usage: PlanUsage; row: StorePlan | undefined }> {
  const [row, assigned] = await Promise.all([findStorePlan(db, storeHash), countAssignedProducts(db, storeHash)]);
  const plan = knownPlan(row?.plan_id ?? DEFAULT_PLAN_ID);
  return { usage: { plan, assigned, limit: plan.assignedProductLimit }, row };
}

/** The store's plan and usage: what assigning needs, without the billing. */
export async function getPlanUsage(db: Db, storeHash: string): Promise<PlanUsage> {
  return (await usageWithRow(db, storeHash)).usage;
}

/** The store's plan, usage, subscription, scheduled change, open checkout and ledger, for the Plan page. */
export async function getPlanState(db: Db, storeHash: string, now = new Date()): Promise<PlanState> {
  const [{ usage, row }, charges, open] = await Promise.all([usageWithRow(db, storeHash), listCharges(db, { storeHash }), findOpenCheckout(db, storeHash)]);
  const { plan, assigned, limit } = usage;
  return {
    ...usage,
    overLimit: limit !== null && assigned > limit,
    overLimitNotice: overLimitNotice(plan, assigned),
    subscription: row?.subscription_id
      ? { id: row.subscription_id, interval: row.billing_interval, priceCents: row.price_cents, periodEndsAt: row.cycle_ends_at, cancelledAt: row.cancelled_at }
      : null,
    pending:
      row?.pending_plan_id && row.cycle_ends_at
        ? { plan: knownPlan(row.pending_plan_id), effectiveAt: row.cycle_ends_at, sent: row.cancelled_at !== null }
        : null,
    checkout: open ? { ...open, plan: knownPlan(open.plan_id), expired: open.expires_at.getTime() <= now.getTime() } : null,
    charges,
    plans: PLANS,
  };
}

/** The admin's banner while the store is over its plan's limit (after a downgrade); null otherwise. */
export async function planLimitNotice(db: Db, storeHash: string): Promise<string | null> {
  const { plan, assigned } = await getPlanUsage(db, storeHash);
  return overLimitNotice(plan, assigned);
}

/**
 * Inside an assigning transaction: locks the store's plan (so concurrent assigns are counted one after
 * the other) and refuses when `additional` more products would exceed the limit.
 */
export async function assertCanAssign(trx: Db, storeHash: string, additional: number): Promise<void> {
  const plan = knownPlan((await lockStorePlan(trx, storeHash)).plan_id);
  const limit = plan.assignedProductLimit;
  if (limit === null) return;
  const assigned = await countAssignedProducts(trx, storeHash);
  if (assigned + additional <= limit) return;
  throw new AppError('conflict', `Your ${plan.name} plan’s limit: ${limitWords(assigned, limit, additional)}.`);
}

/**
 * Without Unified Billing: moves the store to `planId` at once, without charge (nothing is billed, so
 * there is no paid period to wait for). Returns whether the plan changed.
 */
export async function changePlan(db: Db, storeHash: string, planId: string): Promise<'changed' | 'unchanged'> {
  const target = knownPlan(planId);
  return db.transaction().execute(async (trx) => {
    const row = await lockStorePlan(trx, storeHash);
    if (row.plan_id === target.id && !row.pending_plan_id) return 'unchanged';
    await saveStorePlan(trx, storeHash, { planId: target.id, pendingPlanId: null, cycleStartedAt: null, cycleEndsAt: null });
    return 'changed';
  });
}
