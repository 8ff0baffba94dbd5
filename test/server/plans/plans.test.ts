import { describe, expect, it } from 'vitest';
import { insertAssignment } from '../../../server/assignments/assignments.repo.ts';
import { planAssignments } from '../../../server/assignments/assignments.service.ts';
import { addMonth, proratedUpgradeCents } from '../../../server/plans/billing.ts';
import { exportBillingCsv } from '../../../server/plans/billing-export.ts';
import { assertCanAssign, changePlan, getPlanState, renewCycles } from '../../../server/plans/plans.service.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase({ poolSize: 10 });
let storeCount = 0;
async function newStore(): Promise<string> {
  return createStore(database.db, `plan${++storeCount}`);
}

let productId = 1;
/** Assigns one product, checking the plan's limit first, as every way of assigning does. */
function assignOne(storeHash: string) {
  return database.db.transaction().execute(async (trx) => {
    await assertCanAssign(trx, storeHash, 1);
    await insertAssignment(trx, {
      storeHash,
      productId: productId++,
      trackedBy: 'product',
      savedInventoryTracking: 'product',
      savedAvailability: 'available',
      items: [{ variantId: null, sku: '', currentStock: 0, backorderThreshold: 0, bigcommerceLevel: 0 }],
    });
  });
}

const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n)); // day(0) = 2026-11-01

describe('billing arithmetic', () => {
  it('when upgrading 10 days into a 30-day cycle, then 20/30 of the price difference is charged', () => {
    expect(proratedUpgradeCents(999, 2999, day(0), day(30), day(10))).toBe(1333);
    expect(proratedUpgradeCents(999, 2999, day(0), day(30), day(0))).toBe(2000);
    expect(proratedUpgradeCents(999, 2999, day(0), day(30), day(30))).toBe(0);
  });

  it('when a cycle starts on the 31st, then it ends on the last day of a shorter month', () => {
    expect(addMonth(new Date('2027-01-31T09:00:00Z')).toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(addMonth(new Date('2026-11-15T00:00:00Z')).toISOString()).toBe('2026-12-15T00:00:00.000Z');
  });
});

describe('plans', () => {
  it('when on the Free plan, then one product can be assigned and the second is refused with what to do', async () => {
    const store = await newStore();
    await assignOne(store);
    await expect(assignOne(store)).rejects.toMatchObject({
      kind: 'conflict',
      message: 'Your Free plan’s limit: 1 assigned, limit 1: unassign 1 to assign more, or upgrade your plan.',
    });
    expect((await getPlanState(database.db, store)).assigned).toBe(1);
  });

  it('when ten assigns race on a plan with room for three, then exactly three succeed', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'starter', day(0));
    for (let i = 0; i < 47; i++) await assignOne(store);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => assignOne(store)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect((await getPlanState(database.db, store)).assigned).toBe(50);
  });

  it('when upgrading from Free, then the limit rises at once and a full month is charged from today', async () => {
    const store = await newStore();
    expect(await changePlan(database.db, store, 'starter', day(3))).toBe('upgraded');
    const state = await getPlanState(database.db, store);
    expect(state.plan.id).toBe('starter');
    expect(state.limit).toBe(50);
    expect(state.cycle).toEqual({ startedAt: day(3), endsAt: day(33) });
    expect(state.charges.map((c) => [c.kind, c.amount_cents])).toEqual([['subscription', 999]]);
  });

  it('when upgrading on day 10 of a 30-day cycle, then the charge is prorated and the cycle kept', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'starter', day(0));
    await changePlan(database.db, store, 'growth', day(10));
    const state = await getPlanState(database.db, store);
    expect(state.plan.id).toBe('growth');
    expect(state.cycle).toEqual({ startedAt: day(0), endsAt: day(30) });
    expect(state.charges.map((c) => [c.kind, c.amount_cents])).toEqual([
      ['subscription', 999],
      ['upgrade', 1333],
    ]);
  });

  it('when downgrading, then it waits for the end of the cycle, and over the new limit assigning is blocked but nothing unassigned', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'starter', day(0));
    for (let i = 0; i < 3; i++) await assignOne(store);
    expect(await changePlan(database.db, store, 'free', day(12))).toBe('downgrade-scheduled');
    let state = await getPlanState(database.db, store, day(12));
    expect(state.plan.id).toBe('starter');
    expect(state.pending).toMatchObject({ plan: { id: 'free' }, effectiveAt: day(30) });

    await renewCycles(database.db, day(29));
    expect((await getPlanState(database.db, store, day(29))).plan.id).toBe('starter');
    await renewCycles(database.db, day(30));
    state = await getPlanState(database.db, store, day(30));
    expect(state).toMatchObject({ plan: { id: 'free' }, assigned: 3, overLimit: true, cycle: null, pending: null });
    await expect(assignOne(store)).rejects.toThrow('Your Free plan’s limit: 3 assigned, limit 1: unassign 3 to assign more, or upgrade your plan.');
  });

  it('when the cycle has ended but the hourly renewal has not run yet, then the scheduled downgrade already applies', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'starter', day(0));
    for (let i = 0; i < 2; i++) await assignOne(store);
    await changePlan(database.db, store, 'free', day(5));
    const canAssignAt = (now: Date) => database.db.transaction().execute((trx) => assertCanAssign(trx, store, 1, now));
    await expect(canAssignAt(day(29))).resolves.toBeUndefined();
    expect(await getPlanState(database.db, store, day(29))).toMatchObject({ plan: { id: 'starter' }, overLimit: false, pending: { plan: { id: 'free' } } });
    const state = await getPlanState(database.db, store, new Date(day(30).getTime() + 60_000));
    expect(state).toMatchObject({ plan: { id: 'free' }, limit: 1, assigned: 2, overLimit: true, pending: null });
    expect(state.overLimitNotice).toBe(
      'Your Free plan is over its limit — 2 assigned, limit 1: unassign 2 to assign more, or upgrade your plan. Nothing is unassigned for you.',
    );
    await expect(canAssignAt(day(30))).rejects.toThrow('Your Free plan’s limit: 2 assigned, limit 1: unassign 2 to assign more, or upgrade your plan.');
  });

  it('when a paid cycle ends, then it renews with one charge per missed month', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'growth', day(0));
    await renewCycles(database.db, day(65));
    await renewCycles(database.db, day(65));
    const state = await getPlanState(database.db, store);
    expect(state.charges.map((c) => [c.kind, c.amount_cents, c.period_start.toISOString().slice(0, 10)])).toEqual([
      ['subscription', 2999, '2026-11-01'],
      ['renewal', 2999, '2026-12-01'],
      ['renewal', 2999, '2027-01-01'],
    ]);
    expect(state.cycle?.endsAt.toISOString().slice(0, 10)).toBe('2027-02-01');
  });

  it('when choosing the current plan while a downgrade waits, then the downgrade is cancelled', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'growth', day(0));
    await changePlan(database.db, store, 'starter', day(5));
    expect(await changePlan(database.db, store, 'growth', day(6))).toBe('downgrade-cancelled');
    expect((await getPlanState(database.db, store)).pending).toBeNull();
  });

  it('when the plan does not exist, then the error names the plans there are', async () => {
    const store = await newStore();
    await expect(changePlan(database.db, store, 'platinum')).rejects.toThrow('There is no plan "platinum"; choose one of free, starter, growth, scale.');
  });
});

describe('reading a plan', () => {
  /** The database, noting every table a query names. */
  function watched(): { db: typeof database.db; tables: Set<string> } {
    const tables = new Set<string>();
    const db = database.db.withPlugin({
      transformQuery: ({ node }) => {
        for (const [, name] of JSON.stringify(node).matchAll(/"kind":"IdentifierNode","name":"([a-z_]+)"/g)) tables.add(name!);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    return { db, tables };
  }

  it('when assigning checks the plan’s limit, then the billing charges are not read; the Plan page reads them', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'starter', day(0));
    const assigning = watched();
    await planAssignments(assigning.db, store, [{ productId: 1, label: 'line 2' }]).catch(() => undefined);
    expect(assigning.tables).toContain('store_plans');
    expect(assigning.tables).not.toContain('billing_charges');
    const planPage = watched();
    expect((await getPlanState(planPage.db, store)).charges).toHaveLength(1);
    expect(planPage.tables).toContain('billing_charges');
  });
});

describe('the billing ledger export', () => {
  it('when the operator exports, then every charge is a CSV row with the amount in dollars', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'starter', day(0));
    await changePlan(database.db, store, 'scale', day(10));
    const csv = await exportBillingCsv(database.db, { storeHash: store });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('charge_id,store_hash,kind,plan,from_plan,amount_usd,period_start,period_end,description,created_at');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 6))).toEqual([
      [store, 'subscription', 'starter', 'free', '9.99'],
      [store, 'upgrade', 'scale', 'starter', '46.67'],
    ]);
  });
});
