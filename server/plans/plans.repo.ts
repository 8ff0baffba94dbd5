/** Rows of `store_plans` and `billing_charges`. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { BillingCharge, StorePlan } from '../db/schema.ts';
import { DEFAULT_PLAN_ID } from './plans.config.ts';

/** The store's plan row, created on the default plan when missing, locked for the transaction. */
export async function lockStorePlan(trx: Db, storeHash: string): Promise<StorePlan> {
  await trx
    .insertInto('store_plans')
    .values({ store_hash: storeHash, plan_id: DEFAULT_PLAN_ID })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return trx.selectFrom('store_plans').selectAll().where('store_hash', '=', storeHash).forUpdate().executeTakeFirstOrThrow();
}

export async function findStorePlan(db: Db, storeHash: string): Promise<StorePlan | undefined> {
  return db.selectFrom('store_plans').selectAll().where('store_hash', '=', storeHash).executeTakeFirst();
}

export async function saveStorePlan(
  trx: Db,
  storeHash: string,
  plan: { planId: string; cycleStartedAt: Date | null; cycleEndsAt: Date | null; pendingPlanId: string | null },
): Promise<void> {
  await trx
    .updateTable('store_plans')
    .set({
      plan_id: plan.planId,
      cycle_started_at: plan.cycleStartedAt,
      cycle_ends_at: plan.cycleEndsAt,
      pending_plan_id: plan.pendingPlanId,
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .execute();
}

export interface NewCharge {
  storeHash: string;
  kind: BillingCharge['kind'];
  planId: string;
  fromPlanId: string | null;
  amountCents: number;
  periodStart: Date;
  periodEnd: Date;
  description: string;
  idempotencyKey: string;
}

export async function insertCharge(trx: Db, charge: NewCharge): Promise<void> {
  await trx
    .insertInto('billing_charges')
    .values({
      store_hash: charge.storeHash,
      kind: charge.kind,
      plan_id: charge.planId,
      from_plan_id: charge.fromPlanId,
      amount_cents: charge.amountCents,
      period_start: charge.periodStart,
      period_end: charge.periodEnd,
      description: charge.description,
      idempotency_key: charge.idempotencyKey,
    })
    .onConflict((oc) => oc.columns(['store_hash', 'idempotency_key']).doNothing())
    .execute();
}

export async function listCharges(db: Db, filter: { storeHash?: string; from?: Date; to?: Date } = {}): Promise<BillingCharge[]> {
  let query = db.selectFrom('billing_charges').selectAll();
  if (filter.storeHash) query = query.where('store_hash', '=', filter.storeHash);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** Stores whose cycle has ended by `now`. */
export async function storesDueForRenewal(db: Db, now: Date): Promise<string[]> {
  const rows = await db.selectFrom('store_plans').select('store_hash').where('cycle_ends_at', '<=', now).execute();
  return rows.map((row) => row.store_hash);
}

/** Products assigned now: what a plan's limit counts. */
export async function countAssignedProducts(db: Db, storeHash: string): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('store_hash', '=', storeHash)
    .where('released_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A paid plan runs to the end of its cycle, then falls back to the default plan: it is not renewed. */
export async function stopRenewal(trx: Db, storeHash: string): Promise<void> {
  await trx
    .updateTable('store_plans')
    .set({ pending_plan_id: DEFAULT_PLAN_ID, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('cycle_ends_at', 'is not', null)
    .execute();
}
