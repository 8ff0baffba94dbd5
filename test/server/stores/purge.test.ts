import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveProductPage } from '../../../server/catalog/catalog-sync.service.ts';
import type { Db } from '../../../server/db/database.ts';
import { openJob } from '../../../server/jobs/jobs.repo.ts';
import { insertImport } from '../../../server/imports/imports.repo.ts';
import { stageRows } from '../../../server/imports/import-rows.repo.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { insertCharge, lockStorePlan, saveStorePlan } from '../../../server/plans/plans.repo.ts';
import { openCheckout } from '../../../server/plans/plan-checkouts.repo.ts';
import { updateSettings } from '../../../server/settings/settings.service.ts';
import { claimSignedPayload } from '../../../server/app-lifecycle/signed-payloads.repo.ts';
import { KEPT_AFTER_PURGE, purgeDueStores, purgeStore, STORE_TABLES } from '../../../server/stores/store-purge.service.ts';
import { saveInstallation, uninstallStore } from '../../../server/stores/stores.service.ts';
import { runHousekeeping } from '../../../server/workers/housekeeping.worker.ts';
import { bcProduct } from '../../helpers/fake-bigcommerce.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { assignProduct, orderFor, stockDeps } from '../../helpers/inventory.ts';
import { randomBytes } from 'node:crypto';

const key = randomBytes(32);
const DAY = 24 * 3600 * 1000;
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** Every table with a store_hash column, from the database itself. */
async function storeKeyedTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
    where c.table_schema = 'public' and c.column_name = 'store_hash' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(db);
  return rows.map((row) => row.table_name);
}

async function rowsPerTable(db: Db, storeHash: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await storeKeyedTables(db)) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where store_hash = ${storeHash}`.execute(db);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}

/** A store with a row in every store-keyed table. */
async function populate(db: Db, storeHash: string): Promise<void> {
  const owner = { id: 1, email: `owner@${storeHash}.example` };
  await saveInstallation(db, key, { storeHash, accessToken: 'tok', scope: 'store_v2_products', user: owner, owner });
  await updateSettings(db, storeHash, { orderNote: { message: 'Backordered:' } });
  const { job } = await openJob(db, storeHash, 'catalog-sync', 'syncing');
  const product = bcProduct({ name: `Jar of ${storeHash}` });
  await saveProductPage(db, storeHash, job.id, [product]);
  await db.insertInto('catalog_categories').values({ store_hash: storeHash, category_id: 1, name: 'Jars', sync_job_id: job.id }).execute();
  await db.insertInto('catalog_brands').values({ store_hash: storeHash, brand_id: 1, name: 'Acme', sync_job_id: job.id }).execute();
  const item = await assignProduct(db, storeHash, { currentStock: 1, backorderThreshold: 5 }, { productId: product.id });
  await convergeOrder(stockDeps(db), storeHash, orderFor(item, 3));
  // On a paid plan, as Unified Billing reported it, with a downgrade scheduled and its report in the ledger.
  await lockStorePlan(db, storeHash);
  await saveStorePlan(db, storeHash, {
    planId: 'growth',
    subscriptionId: `bc/account/subscription/${storeHash}`,
    cycleStartedAt: new Date('2026-10-20T00:00:00Z'),
    cycleEndsAt: new Date('2026-11-20T00:00:00Z'),
    pendingPlanId: 'starter',
  });
  await insertCharge(db, {
    storeHash,
    kind: 'subscription',
    planId: 'growth',
    fromPlanId: 'free',
    amountCents: 2999,
    periodStart: new Date('2026-10-20T00:00:00Z'),
    periodEnd: new Date('2026-11-20T00:00:00Z'),
    description: 'Growth plan',
    idempotencyKey: `bc/account/subscription/${storeHash}:reported`,
    subscriptionId: `bc/account/subscription/${storeHash}`,
    billingInterval: 'MONTH',
    bigcommerceStatus: 'ACTIVE',
  });
  await openCheckout(db, {
    storeHash,
    checkoutId: `bc/account/checkout/${storeHash}`,
    planId: 'scale',
    interval: 'MONTH',
    priceCents: 7999,
    subscriptionId: `bc/account/subscription/${storeHash}`,
    checkoutUrl: 'https://store.example/manage/merchant-checkout?checkoutId=1',
    expiresAt: new Date('2026-10-21T00:00:00Z'),
  });
  await db
    .insertInto('purchasing_holds')
    .values({ store_hash: storeHash, item_id: item.id, product_id: product.id, variant_id: 1, disabled_by_app: true })
    .execute();
  await db
    .insertInto('webhook_events')
    .values({ store_hash: storeHash, scope: 'store/order/created', hash: 'h1', event_created_at: 1, payload: JSON.stringify({}) })
    .execute();
  await db.insertInto('reconcile_runs').values({ store_hash: storeHash, started_at: new Date() }).execute();
  await db.insertInto('order_notes').values({ store_hash: storeHash, order_id: 1 }).execute();
  await db.insertInto('selling_checks_owed').values({ store_hash: storeHash, item_id: item.id }).execute();
  await claimSignedPayload(db, { jti: `jti-${storeHash}`, storeHash, expiresAt: new Date(Date.now() + DAY) });
  const importId = await insertImport(db, { storeHash, mode: 'assign', columns: ['current_stock'], filename: 'jars.csv', content: Buffer.from('sku\nJAR\n') });
  // A row of the import as a run keeps it while reading.
  await stageRows(db, storeHash, importId, [{ line: 2, productId: 1, variantId: null, values: {} }]);
}

describe('purging an uninstalled store', () => {
  it('when the purge list is compared with the schema, then every table holding store rows is purged or kept on purpose', async () => {
    expect([...STORE_TABLES, ...KEPT_AFTER_PURGE].sort()).toEqual(await storeKeyedTables(database.db));
  });

  it('when the retention has run out, then every row of the store goes and the other store keeps all of its rows', async () => {
    await populate(database.db, 'purgeme');
    await populate(database.db, 'keepme');
    const kept = await rowsPerTable(database.db, 'keepme');
    expect(Object.values(await rowsPerTable(database.db, 'purgeme')).every((n) => n > 0)).toBe(true);

    const uninstalledAt = new Date('2026-11-01T12:00:00Z');
    expect(await uninstallStore(database.db, 'purgeme', 30, uninstalledAt)).toBe(true);

    expect(await purgeDueStores(database.db, new Date(uninstalledAt.getTime() + 29 * DAY))).toEqual([]);
    expect(Object.values(await rowsPerTable(database.db, 'purgeme')).every((n) => n > 0)).toBe(true);

    const result = await runHousekeeping(
      { db: database.db, queues: {} as never },
      { name: 'purge-uninstalled-stores' },
      new Date(uninstalledAt.getTime() + 30 * DAY),
    );
    expect(result).toEqual({ purged: ['purgeme'] });
    const left = await rowsPerTable(database.db, 'purgeme');
    for (const table of STORE_TABLES) expect({ table, rows: left[table] }).toEqual({ table, rows: 0 });
    expect(left.billing_charges).toBeGreaterThan(0);
    expect(await rowsPerTable(database.db, 'keepme')).toEqual(kept);
  });

  it('when a store on a paid plan uninstalls, then its scheduled change is dropped and the ledger kept', async () => {
    await populate(database.db, 'paidbye');
    const before = await database.db.selectFrom('billing_charges').select('id').where('store_hash', '=', 'paidbye').execute();
    await uninstallStore(database.db, 'paidbye', 30, new Date('2026-11-01T12:00:00Z'));
    const plan = await database.db.selectFrom('store_plans').selectAll().where('store_hash', '=', 'paidbye').executeTakeFirstOrThrow();
    expect(plan).toMatchObject({ plan_id: 'growth', pending_plan_id: null });
    expect(before).toHaveLength(1);
    expect(await database.db.selectFrom('billing_charges').select('id').where('store_hash', '=', 'paidbye').execute()).toEqual(before);
  });

  it('when the store was reinstalled or is still installed, then nothing is purged', async () => {
    await populate(database.db, 'cameback');
    await uninstallStore(database.db, 'cameback', 0, new Date('2026-11-01T12:00:00Z'));
    const owner = { id: 1, email: 'owner@cameback.example' };
    await saveInstallation(database.db, key, { storeHash: 'cameback', accessToken: 'tok2', scope: '', user: owner, owner });
    expect(await purgeStore(database.db, 'cameback', new Date('2027-01-01T00:00:00Z'))).toBe(false);
    expect(await purgeStore(database.db, 'keepme', new Date('2027-01-01T00:00:00Z'))).toBe(false);
    expect((await rowsPerTable(database.db, 'cameback')).stores).toBe(1);
  });
});
