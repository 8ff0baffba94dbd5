/**
 * Store jobs apart (`npm run worker`): each runs in a process of its own, started with the store jobs' V8
 * settings, with the worker's configuration; what it did, how it failed and when it must wait for
 * BigCommerce's budget reach the worker as they do when the job runs in the worker's own process.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimitState } from '../../../server/bigcommerce/redis-rate-limit-state.ts';
import { configFromText, configToText } from '../../../server/config.ts';
import { insertImport } from '../../../server/imports/imports.repo.ts';
import { queueStoreJob } from '../../../server/jobs/jobs.service.ts';
import { configuredKeyring } from '../../../server/keyring.ts';
import { createLogger } from '../../../server/logger.ts';
import { start } from '../../../server/main.ts';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { saveInstallation } from '../../../server/stores/stores.service.ts';
import { STORE_JOB_NODE_FLAGS } from '../../../server/workers/store-jobs.worker.ts';
import { finishedJob } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { testConfig } from '../../helpers/config.ts';
import { fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, createStore } from '../../helpers/inventory.ts';
import { isRunning } from '../../../scripts/lib/process.ts';
import { childrenOf } from '../../helpers/processes.ts';
import { eventually } from '../../helpers/wait.ts';

const STORE = 'apartjobs1';
let app: TestApp;
let stopped = false;

/** This process's children that run BullMQ's sandbox: the store-jobs processes. */
const storeJobProcesses = () => childrenOf(process.pid).filter((child) => child.args.includes('bullmq'));

async function updateImport(csv: string): Promise<void> {
  await insertImport(app.database.db, { storeHash: STORE, mode: 'update', columns: ['current_stock'], filename: 'stock.csv', content: Buffer.from(csv) });
  await queueStoreJob(app.database.db, app.queues.storeJobs, STORE, 'import', 'Waiting to read the files');
}

beforeAll(async () => {
  app = await startTestApp({ storeJobs: 'apart' });
  await createStore(app.database.db, STORE);
  await changePlan(app.database.db, STORE, 'starter');
});
afterAll(async () => {
  if (!stopped) await app?.stop();
});

describe('store jobs in processes of their own', () => {
  it('when an import runs, then a process of its own, started with the store jobs’ V8 settings, applies it', async () => {
    await app.database.db
      .insertInto('catalog_products')
      .values({
        store_hash: STORE,
        product_id: 7001,
        name: 'Lamp',
        sku: 'SKU-7001',
        is_visible: true,
        availability: 'available',
        inventory_tracking: 'product',
        inventory_level: 2,
      })
      .execute();
    const item = await assignProduct(app.database.db, STORE, { currentStock: 2, backorderThreshold: 5 }, { productId: 7001 });
    await updateImport('sku,current_stock\nSKU-7001,9\n');
    const job = await finishedJob(app.database.db, STORE, 'import', 60_000);
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    const after = await app.database.db.selectFrom('inventory_items').select('current_stock').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(after.current_stock).toBe(9);
    const children = storeJobProcesses();
    expect(children.length).toBeGreaterThanOrEqual(1);
    for (const flag of STORE_JOB_NODE_FLAGS) expect(children[0]!.args).toContain(flag);
  });

  it('when an import is refused there, then the worker logs the failed attempt with the reason its process gave', async () => {
    await updateImport('sku,current_stock\nNO-SUCH-SKU,1\n');
    const job = await finishedJob(app.database.db, STORE, 'import', 60_000);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/Nothing was imported/);
    // Refused for good there (UnrecoverableError): the worker does not try it again.
    const queued = await app.queues.storeJobs.getJob(`import-${STORE}-${job.id}`);
    await eventually(async () => expect(await queued!.getState()).toBe('failed'), 10_000);
    expect((await app.queues.storeJobs.getJob(`import-${STORE}-${job.id}`))!.attemptsMade).toBe(1);
    // The worker logs the attempt, as the run's last, from its own `failed` handler once Redis has answered it.
    const failed = () =>
      app.logLines
        .map((line) => JSON.parse(line) as { msg: string; err?: { message: string } })
        .find((line) => line.msg === 'store-jobs job failed on its last attempt');
    await eventually(() => expect(failed()?.err?.message).toMatch(/Nothing was imported/), 10_000);
  });

  it('when the store’s API budget is spent, then the job waits in the delayed set for the reset instead of failing', async () => {
    const store = 'apartjobs2';
    await saveInstallation(app.database.db, configuredKeyring(app.config), {
      storeHash: store,
      accessToken: 'token-apart',
      scope: 'store_v2_products',
      user: { id: 1, email: 'owner@example.com' },
      owner: { id: 1, email: 'owner@example.com' },
    });
    await new RedisRateLimitState(app.redis, app.config.queuePrefix).update(store, {
      remaining: 0,
      quota: 150,
      windowMs: 60_000,
      resetAt: Date.now() + 60_000,
    });
    await queueStoreJob(app.database.db, app.queues.storeJobs, store, 'catalog-sync', 'Waiting to read the catalog');
    const delayed = await eventually(async () => {
      const job = (await app.queues.storeJobs.getDelayed()).find((waiting) => waiting.data.storeHash === store);
      expect(job).toBeDefined();
      return job!;
    }, 30_000);
    expect(delayed.attemptsMade).toBe(0);
    const row = await app.database.db.selectFrom('jobs').select('status').where('store_hash', '=', store).executeTakeFirstOrThrow();
    expect(row.status).not.toBe('failed');
  });

  it('when the worker stops, then its store-jobs processes end with it', async () => {
    const pids = storeJobProcesses().map((child) => child.pid);
    expect(pids.length).toBeGreaterThanOrEqual(1);
    await app.stop();
    stopped = true;
    expect(pids.filter(isRunning)).toEqual([]);
  });
});

describe('what store jobs apart need', () => {
  it('when there is no DATABASE_URL (the embedded database), then start refuses, naming it', async () => {
    await expect(start({ config: testConfig({ databaseUrl: undefined }), logger: createLogger({ level: 'silent' }), storeJobs: 'apart' })).rejects.toThrow(
      /DATABASE_URL: required when store jobs run apart/,
    );
  });

  it('when a gateway factory is given, then start refuses: a process of their own cannot be handed it', async () => {
    const gateway = fakeBigCommerce().factory();
    await expect(start({ config: testConfig(), logger: createLogger({ level: 'silent' }), storeJobs: 'apart', gateway })).rejects.toThrow(
      /use the configured BigCommerce/,
    );
  });

  it('when the configuration reaches their process as text, then every value, the encryption keys among them, is as it was', () => {
    const config = testConfig({ previousEncryptionKey: randomBytes(32), appUrl: 'https://app.example.com' });
    expect(configFromText(configToText(config))).toEqual(config);
  });
});
