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

/** The store's plan row, if it has one. */
export async function findStorePlan(db: Db, storeHash: string): Promise<StorePlan | undefined> {
  return db.selectFrom('store_plans').selectAll().where('store_hash', '=', storeHash).executeTakeFirst();
}

/** What a plan row may be changed to (the row must exist: lock it first). */
export interface StorePlanPatch {
  planId?: string;
  cycleStartedAt?: Date | null;
  cycleEndsAt?: Date | null;
  pendingPlanId?: string | null;
  subscriptionId?: string | null;
  billingInterval?: string | null;
  priceCents?: number | null;
  cancelledAt?: Date | null;
  syncedAt?: Date;
}

/** Writes the fields given, leaves the others. */
export async function saveStorePlan(trx: Db, storeHash: string, patch: StorePlanPatch): Promise<void> {
  const columns = {
    plan_id: patch.planId,
    cycle_started_at: patch.cycleStartedAt,
    cycle_ends_at: patch.cycleEndsAt,
    pending_plan_id: patch.pendingPlanId,
    subscription_id: patch.subscriptionId,
    billing_interval: patch.billingInterval,
    price_cents: patch.priceCents,
    cancelled_at: patch.cancelledAt,
    synced_at: patch.syncedAt,
  };
  const set = Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
  await trx
    .updateTable('store_plans')
    .set({ ...set, updated_at: sql`now()` })
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
  /** What BigCommerce reported: one row per report, however often it is read again. */
  idempotencyKey: string;
  subscriptionId: string | null;
  billingInterval: string | null;
  bigcommerceStatus: string | null;
}

/** Records one report; a report already recorded (same key) is left as it is. */
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
      subscription_id: charge.subscriptionId,
      billing_interval: charge.billingInterval,
      bigcommerce_status: charge.bigcommerceStatus,
    })
    .onConflict((oc) => oc.columns(['store_hash', 'idempotency_key']).doNothing())
    .execute();
}

/** The ledger, oldest first, filtered by store and creation time. */
export async function listCharges(db: Db, filter: { storeHash?: string; from?: Date; to?: Date } = {}): Promise<BillingCharge[]> {
  let query = db.selectFrom('billing_charges').selectAll();
  if (filter.storeHash) query = query.where('store_hash', '=', filter.storeHash);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  return query.orderBy('created_at').orderBy('id').execute();
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

/** An uninstalled store's scheduled change is dropped: its subscription is cancelled instead (uninstall.service.ts). */
export async function stopRenewal(trx: Db, storeHash: string): Promise<void> {
  await trx
    .updateTable('store_plans')
    .set({ pending_plan_id: null, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .execute();
}

/** Stores with a plan row: those whose subscription the nightly sync reads. */
export async function storesWithPlans(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('store_plans')
    .innerJoin('stores', 'stores.store_hash', 'store_plans.store_hash')
    .select('store_plans.store_hash')
    .where('stores.status', '=', 'active')
    .execute();
  return rows.map((row) => row.store_hash);
}

/** What a checkout needs of the store: the merchant's account and where its control panel is. */
export async function findBillingAccount(db: Db, storeHash: string): Promise<{ account_uuid: string | null; control_panel_url: string } | undefined> {
  return db.selectFrom('stores').select(['account_uuid', 'control_panel_url']).where('store_hash', '=', storeHash).executeTakeFirst();
}

/** The store's time zone (IANA name; empty when unknown): the ledger's lines name days as its calendar does. */
export async function findStoreTimezone(db: Db, storeHash: string): Promise<string | undefined> {
  return (await db.selectFrom('stores').select('timezone').where('store_hash', '=', storeHash).executeTakeFirst())?.timezone;
}
