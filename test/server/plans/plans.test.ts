import { describe, expect, it } from 'vitest';
import { planAssignments } from '../../../server/assignments/assignments.service.ts';
import { exportBillingCsv } from '../../../server/plans/billing-export.ts';
import { changePlan, getPlanState, limitWords } from '../../../server/plans/plans.service.ts';
import { insertCharge } from '../../../server/plans/plans.repo.ts';
import { recordingStatements, useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';
import { assignOneUnderPlan } from '../../helpers/plans.ts';

const database = useTestDatabase({ poolSize: 10 });
let storeCount = 0;
async function newStore(): Promise<string> {
  return createStore(database.db, `plan${++storeCount}`);
}

const assignOne = (storeHash: string) => assignOneUnderPlan(database.db, storeHash);

describe('plans without Unified Billing', () => {
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
    await changePlan(database.db, store, 'starter');
    for (let i = 0; i < 47; i++) await assignOne(store);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => assignOne(store)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect((await getPlanState(database.db, store)).assigned).toBe(50);
  });

  it('when the merchant changes plan, then it applies at once, both ways, and nothing is charged', async () => {
    const store = await newStore();
    expect(await changePlan(database.db, store, 'growth')).toBe('changed');
    expect(await getPlanState(database.db, store)).toMatchObject({ plan: { id: 'growth' }, limit: 500, subscription: null, pending: null, charges: [] });
    for (let i = 0; i < 3; i++) await assignOne(store);
    expect(await changePlan(database.db, store, 'free')).toBe('changed');
    const state = await getPlanState(database.db, store);
    expect(state).toMatchObject({ plan: { id: 'free' }, assigned: 3, overLimit: true, charges: [] });
    expect(state.overLimitNotice).toBe(
      'Your Free plan is over its limit — 3 assigned, limit 1: unassign 3 to assign more, or upgrade your plan. Nothing is unassigned for you.',
    );
    await expect(assignOne(store)).rejects.toThrow('Your Free plan’s limit: 3 assigned, limit 1: unassign 3 to assign more, or upgrade your plan.');
    expect(await changePlan(database.db, store, 'free')).toBe('unchanged');
  });

  it('when the plan does not exist, then the error names the plans there are', async () => {
    const store = await newStore();
    await expect(changePlan(database.db, store, 'platinum')).rejects.toThrow('There is no plan "platinum"; choose one of free, starter, growth, scale.');
  });
});

describe('the limit in words', () => {
  it('when more are asked for than the plan can ever hold, then the words say so instead of asking to unassign what cannot make room', () => {
    expect(limitWords(1, 1, 6, 'Free')).toBe(
      '1 assigned, limit 1: your Free plan holds at most 1 product, so upgrade it to assign all 6, or unassign 1 to assign 1 of these 6',
    );
    expect(limitWords(0, 1, 2, 'Free')).toBe(
      '0 assigned, limit 1: your Free plan holds at most 1 product, so upgrade it to assign all 2, or assign only 1 of these 2',
    );
    expect(limitWords(10, 50, 60, 'Starter')).toBe(
      '10 assigned, limit 50: your Starter plan holds at most 50 products, so upgrade it to assign all 60, or assign only 40 of these 60',
    );
  });

  it('when the request fits the plan once some are unassigned, then the words say how many fit now and how many to unassign', () => {
    expect(limitWords(48, 50, 5, 'Starter')).toBe('48 assigned, limit 50: only 2 of these 5 fit; unassign 3 to assign all 5, or upgrade your Starter plan');
    expect(limitWords(50, 50, 5, 'Starter')).toBe('50 assigned, limit 50: unassign 5 to assign all 5, or upgrade your Starter plan');
    expect(limitWords(3, 1)).toBe('3 assigned, limit 1: unassign 3 to assign more, or upgrade your plan');
  });
});

describe('reading a plan', () => {
  /** The database, noting every table a query names. */
  function watched(): { db: typeof database.db; readonly tables: Set<string> } {
    const { db, statements } = recordingStatements(database.db);
    const named = (statement: string) => [...statement.matchAll(/"kind":"IdentifierNode","name":"([a-z_]+)"/g)].map(([, name]) => name!);
    return {
      db,
      get tables() {
        return new Set(statements.flatMap(named));
      },
    };
  }

  it('when assigning checks the plan’s limit, then the billing charges are not read; the Plan page reads them', async () => {
    const store = await newStore();
    await changePlan(database.db, store, 'starter');
    await insertCharge(database.db, reported(store, 'starter', 999, 'one'));
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
  it('when the operator exports, then every report of BigCommerce is a CSV row with the price in dollars', async () => {
    const store = await newStore();
    await insertCharge(database.db, reported(store, 'starter', 999, 'one'));
    await insertCharge(database.db, { ...reported(store, 'scale', 7999, 'two'), kind: 'change', fromPlanId: 'starter' });
    const csv = await exportBillingCsv(database.db, { storeHash: store });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'charge_id,store_hash,kind,plan,from_plan,amount_usd,period_start,period_end,description,created_at,subscription_id,billing_interval,bigcommerce_status',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 6))).toEqual([
      [store, 'subscription', 'starter', 'free', '9.99'],
      [store, 'change', 'scale', 'starter', '79.99'],
    ]);
    expect(lines[1]!.split(',').slice(-3)).toEqual(['bc/account/subscription/s1', 'MONTH', 'ACTIVE']);
  });
});

/** A ledger row as the sync records what BigCommerce reported. */
function reported(storeHash: string, planId: string, amountCents: number, key: string) {
  return {
    storeHash,
    kind: 'subscription' as const,
    planId,
    fromPlanId: 'free',
    amountCents,
    periodStart: new Date('2026-11-01T00:00:00Z'),
    periodEnd: new Date('2026-12-01T00:00:00Z'),
    description: `${planId} plan`,
    idempotencyKey: key,
    subscriptionId: 'bc/account/subscription/s1',
    billingInterval: 'MONTH',
    bigcommerceStatus: 'ACTIVE',
  };
}
