/**
 * Plans: what a store may assign, and what it owes. Upgrades take effect at once, with a charge prorated to
 * the rest of the cycle (a first paid plan starts a cycle and is charged in full). Downgrades wait for the
 * end of the cycle; if the store is then over the new limit nothing is unassigned, but assigning is blocked
 * until it is under the limit again.
 */
import type { Db } from '../db/database.ts';
import type { BillingCharge, StorePlan } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { addMonth, formatCents, proratedUpgradeCents } from './billing.ts';
import { DEFAULT_PLAN_ID, PLANS, planById, type Plan } from './plans.config.ts';
import { countAssignedProducts, findStorePlan, insertCharge, listCharges, lockStorePlan, saveStorePlan, storesDueForRenewal } from './plans.repo.ts';

/** What a store may assign: its plan at a moment, how many products are assigned, and the limit. */
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
  cycle: { startedAt: Date; endsAt: Date } | null;
  pending: { plan: Plan; effectiveAt: Date } | null;
  charges: BillingCharge[];
  plans: readonly Plan[];
}

function knownPlan(id: string): Plan {
  const plan = planById(id);
  if (!plan)
    throw new AppError('validation', `There is no plan "${id}"; choose one of ${PLANS.map((p) => p.id).join(', ')}.`, {
      problems: [{ field: 'planId', message: 'unknown plan' }],
    });
  return plan;
}

/**
 * The plan that applies at `now`: a scheduled downgrade applies from the end of the cycle, even before the
 * hourly renewal has written it down.
 */
function effectivePlan(row: StorePlan | undefined, now: Date): Plan {
  const due = row?.pending_plan_id && row.cycle_ends_at && row.cycle_ends_at.getTime() <= now.getTime();
  return knownPlan(due ? row.pending_plan_id! : (row?.plan_id ?? DEFAULT_PLAN_ID));
}

const count = (n: number) => n.toLocaleString('en-US');

/** The limit in numbers: "3 assigned, limit 1: unassign 3 to assign more" (`additional`: how many more are wanted). */
export function limitWords(assigned: number, limit: number, additional = 1): string {
  const toUnassign = assigned + additional - limit;
  return `${count(assigned)} assigned, limit ${count(limit)}: unassign ${count(toUnassign)} to assign ${additional === 1 ? 'more' : `these ${count(additional)}`}`;
}

function overLimitNotice(plan: Plan, assigned: number): string | null {
  const limit = plan.assignedProductLimit;
  if (limit === null || assigned <= limit) return null;
  return `Your ${plan.name} plan is over its limit — ${limitWords(assigned, limit)}, or upgrade your plan. Nothing is unassigned for you.`;
}

async function usageWithRow(db: Db, storeHash: string, now: Date): Promise<{ usage: PlanUsage; row: StorePlan | undefined }> {
  const [row, assigned] = await Promise.all([findStorePlan(db, storeHash), countAssignedProducts(db, storeHash)]);
  const plan = effectivePlan(row, now);
  return { usage: { plan, assigned, limit: plan.assignedProductLimit }, row };
}

/** The store's plan and usage: what assigning needs, without the billing. */
export async function getPlanUsage(db: Db, storeHash: string, now = new Date()): Promise<PlanUsage> {
  return (await usageWithRow(db, storeHash, now)).usage;
}

/** The store's plan, usage and billing, for the Plan page. */
export async function getPlanState(db: Db, storeHash: string, now = new Date()): Promise<PlanState> {
  const [{ usage, row }, charges] = await Promise.all([usageWithRow(db, storeHash, now), listCharges(db, { storeHash })]);
  const { plan, assigned, limit } = usage;
  const pendingDue = row?.pending_plan_id && row.cycle_ends_at && plan.id === row.pending_plan_id;
  return {
    ...usage,
    overLimit: limit !== null && assigned > limit,
    overLimitNotice: overLimitNotice(plan, assigned),
    cycle: row?.cycle_started_at && row.cycle_ends_at ? { startedAt: row.cycle_started_at, endsAt: row.cycle_ends_at } : null,
    pending: row?.pending_plan_id && row.cycle_ends_at && !pendingDue ? { plan: knownPlan(row.pending_plan_id), effectiveAt: row.cycle_ends_at } : null,
    charges,
    plans: PLANS,
  };
}

/** The admin's banner while the store is over its plan's limit (after a downgrade); null otherwise. */
export async function planLimitNotice(db: Db, storeHash: string, now = new Date()): Promise<string | null> {
  const { plan, assigned } = await getPlanUsage(db, storeHash, now);
  return overLimitNotice(plan, assigned);
}

/**
 * Inside an assigning transaction: locks the store's plan (so concurrent assigns are counted one after
 * the other) and refuses when `additional` more products would exceed the limit.
 */
export async function assertCanAssign(trx: Db, storeHash: string, additional: number, now = new Date()): Promise<void> {
  const plan = effectivePlan(await lockStorePlan(trx, storeHash), now);
  const limit = plan.assignedProductLimit;
  if (limit === null) return;
  const assigned = await countAssignedProducts(trx, storeHash);
  if (assigned + additional <= limit) return;
  throw new AppError('conflict', `Your ${plan.name} plan’s limit: ${limitWords(assigned, limit, additional)}, or upgrade your plan.`);
}

export type PlanChange = 'upgraded' | 'downgrade-scheduled' | 'downgrade-cancelled' | 'unchanged';

/** Moves the store to `planId` as of `now`. */
export async function changePlan(db: Db, storeHash: string, planId: string, now = new Date()): Promise<PlanChange> {
  const target = knownPlan(planId);
  return db.transaction().execute(async (trx) => {
    const row = await lockStorePlan(trx, storeHash);
    const current = knownPlan(row.plan_id);
    const cycle = row.cycle_started_at && row.cycle_ends_at ? { start: row.cycle_started_at, end: row.cycle_ends_at } : null;

    if (target.id === current.id) {
      if (!row.pending_plan_id) return 'unchanged';
      await saveStorePlan(trx, storeHash, { planId: current.id, cycleStartedAt: cycle?.start ?? null, cycleEndsAt: cycle?.end ?? null, pendingPlanId: null });
      return 'downgrade-cancelled';
    }

    if (target.monthlyPriceCents > current.monthlyPriceCents) {
      if (!cycle) {
        // The first paid plan starts a monthly cycle today, charged in full.
        const end = addMonth(now);
        await insertCharge(trx, {
          storeHash,
          kind: 'subscription',
          planId: target.id,
          fromPlanId: current.id,
          amountCents: target.monthlyPriceCents,
          periodStart: now,
          periodEnd: end,
          description: `${target.name} plan, ${formatCents(target.monthlyPriceCents)} a month`,
          idempotencyKey: `subscription:${target.id}:${now.toISOString()}`,
        });
        await saveStorePlan(trx, storeHash, { planId: target.id, cycleStartedAt: now, cycleEndsAt: end, pendingPlanId: null });
      } else {
        const amount = proratedUpgradeCents(current.monthlyPriceCents, target.monthlyPriceCents, cycle.start, cycle.end, now);
        await insertCharge(trx, {
          storeHash,
          kind: 'upgrade',
          planId: target.id,
          fromPlanId: current.id,
          amountCents: amount,
          periodStart: now,
          periodEnd: cycle.end,
          description: `Upgrade ${current.name} → ${target.name}, prorated to the end of the cycle`,
          idempotencyKey: `upgrade:${current.id}:${target.id}:${now.toISOString()}`,
        });
        await saveStorePlan(trx, storeHash, { planId: target.id, cycleStartedAt: cycle.start, cycleEndsAt: cycle.end, pendingPlanId: null });
      }
      return 'upgraded';
    }

    if (!cycle) {
      // Cheaper than a plan without a cycle can only be another free plan: switch at once.
      await saveStorePlan(trx, storeHash, { planId: target.id, cycleStartedAt: null, cycleEndsAt: null, pendingPlanId: null });
      return 'upgraded';
    }
    await saveStorePlan(trx, storeHash, { planId: current.id, cycleStartedAt: cycle.start, cycleEndsAt: cycle.end, pendingPlanId: target.id });
    return 'downgrade-scheduled';
  });
}

/**
 * Ends every cycle that has run out by `now`: a scheduled downgrade takes effect, and a paid plan renews
 * for another month with its charge. Catches up on several missed cycles; charges are keyed by period.
 */
export async function renewCycles(db: Db, now = new Date()): Promise<number> {
  let renewed = 0;
  for (const storeHash of await storesDueForRenewal(db, now)) {
    await db.transaction().execute(async (trx) => {
      const row = await lockStorePlan(trx, storeHash);
      let planId = row.plan_id;
      let start = row.cycle_started_at;
      let end = row.cycle_ends_at;
      let pending = row.pending_plan_id;
      while (start && end && end.getTime() <= now.getTime()) {
        const plan = knownPlan(pending ?? planId);
        planId = plan.id;
        pending = null;
        if (plan.monthlyPriceCents === 0) {
          start = null;
          end = null;
          break;
        }
        start = end;
        end = addMonth(end);
        await insertCharge(trx, {
          storeHash,
          kind: 'renewal',
          planId: plan.id,
          fromPlanId: null,
          amountCents: plan.monthlyPriceCents,
          periodStart: start,
          periodEnd: end,
          description: `${plan.name} plan renewal`,
          idempotencyKey: `renewal:${start.toISOString()}`,
        });
      }
      await saveStorePlan(trx, storeHash, { planId, cycleStartedAt: start, cycleEndsAt: end, pendingPlanId: pending });
      renewed++;
    });
  }
  return renewed;
}
