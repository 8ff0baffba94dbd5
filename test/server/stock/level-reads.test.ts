/**
 * Issue 11, point 14: a product's level event must not be dropped when the store's API budget is spent.
 * The levels job is run by its real worker on a real queue, against a local stand-in for BigCommerce's
 * API that answers the first read of the products with a 429 and the next ones with the new level.
 */
import { Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { StoreNotConnectedError, type BigCommerceGateway } from '../../../server/bigcommerce/index.ts';
import { sharedReads } from '../../../server/bigcommerce/shared-reads.ts';
import { storeConnection } from '../../../server/bigcommerce/store-connection.ts';
import { claimPending, releaseRead, requestLevelSync, type LevelsJob } from '../../../server/inventory/level-sync.jobs.ts';
import { createRedis } from '../../../server/redis.ts';
import { createLevelsWorker } from '../../../server/workers/levels.worker.ts';
import type { WorkerDeps } from '../../../server/workers/deps.ts';
import { QUEUE_NAMES } from '../../../server/workers/queues.ts';
import { bcProduct } from '../../helpers/fake-bigcommerce.ts';
import { testConfig } from '../../helpers/config.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, recordingEffects } from '../../helpers/inventory.ts';
import { fakeApi, rateLimitHeaders, v3PageOf, type FakeApi } from '../bigcommerce/fake-api.ts';

const database = useTestDatabase();
const { redisUrl, queuePrefix: prefix } = testConfig();
const redis = createRedis(redisUrl!, 'producer');
const connection = createRedis(redisUrl!, 'worker');
const STORE = 'levels1';
/** BigCommerce's level of each product, as the stand-in serves it. */
const levels = new Map<number, number>();
/** Product reads still to answer with a spent budget. */
let budgetSpentFor = 0;
const { effects, checked } = recordingEffects();
let api: FakeApi;
let queue: Queue<LevelsJob>;
let worker: Worker<LevelsJob>;

beforeAll(async () => {
  await createStore(database.db, STORE);
  api = await fakeApi((request) => {
    if (!request.path.endsWith('/v3/catalog/products')) return { status: 404 };
    if (budgetSpentFor > 0) {
      budgetSpentFor--;
      return { status: 429, headers: rateLimitHeaders(0, 300), body: { status: 429, title: 'Too many requests' } };
    }
    const ids = (request.query.get('id:in') ?? '').split(',').map(Number);
    const products = ids.filter((id) => levels.has(id)).map((id) => bcProduct({ id, name: `Product ${id}`, inventory_level: levels.get(id)! }));
    return v3PageOf(products, request);
  });
  // The store's connection gives up on a 429 at once, as the app's does once its wait would outlast the job's.
  const client = createBigCommerceClient({
    storeHash: STORE,
    accessToken: 'token',
    apiUrl: api.url,
    rateLimitState: new MemoryRateLimitState(),
    retry: { rateLimitAttempts: 1 },
  });
  const gateway: Pick<BigCommerceGateway, 'connect'> = {
    async connect(storeHash) {
      if (storeHash !== STORE) throw new StoreNotConnectedError(storeHash, 'not-installed');
      return storeConnection(client, async () => undefined, sharedReads());
    },
  };
  queue = new Queue<LevelsJob>(QUEUE_NAMES.levels, { connection: redis, prefix });
  const deps = {
    db: database.db,
    connection,
    redis,
    prefix,
    queues: { levels: queue },
    gateway,
    effects,
  } as unknown as WorkerDeps;
  worker = createLevelsWorker(deps);
});
afterAll(async () => {
  await worker?.close();
  await queue?.close();
  await api?.close();
  redis.disconnect();
  connection.disconnect();
});

const stockOf = async (itemId: number) =>
  (await database.db.selectFrom('inventory_items').select('current_stock').where('id', '=', itemId).executeTakeFirstOrThrow()).current_stock;

describe('level reads while the API budget is spent', () => {
  it('when the levels job meets a spent budget, then it is delayed and its next run still reads the product and applies the new level', async () => {
    const item = await assignProduct(database.db, STORE, { currentStock: 8, backorderThreshold: 0, bigcommerceLevel: 8 }, { productId: 501 });
    levels.set(501, 0);
    budgetSpentFor = 1;
    const readsBefore = api.requests.length;

    await requestLevelSync(redis, queue, prefix, STORE, [501]);

    await expect.poll(() => stockOf(item.id), { timeout: 10_000, interval: 50 }).toBe(0);
    const reads = api.requests.slice(readsBefore);
    expect(reads.length).toBe(2);
    // The second read waited out the reset BigCommerce gave (300 ms) in the delayed set.
    expect(reads[1]!.at - reads[0]!.at).toBeGreaterThanOrEqual(280);
    // Sold out now: selling is checked (after the commit that the stock shows).
    await expect.poll(() => checked, { timeout: 5_000, interval: 50 }).toContain(item.id);
    // Applied, so released: once the job has ended, nothing is left to read. (The selling check is asked for
    // inside the stock change, before the run releases what it read: the test waits for the run's end.)
    await expect
      .poll(async () => (await queue.getJobCounts('active', 'waiting', 'delayed')) as Record<string, number>, { timeout: 5_000, interval: 50 })
      .toMatchObject({ active: 0, waiting: 0, delayed: 0 });
    expect(await claimPending(redis, prefix, STORE)).toEqual({ productIds: [], more: false });
  });

  it('when a run ends before it applies what it claimed, then the next claim hands those products out again', async () => {
    // A store the gateway cannot connect: its job leaves the pending reads alone.
    await requestLevelSync(redis, queue, prefix, 'claims1', [7, 8]);
    const first = await claimPending(redis, prefix, 'claims1');
    expect(first.productIds.sort()).toEqual([7, 8]);
    await releaseRead(redis, prefix, 'claims1', [7]);

    // The run dies here (killed, or failed for good) with product 8 claimed and not applied.
    expect(await claimPending(redis, prefix, 'claims1')).toEqual({ productIds: [8], more: false });
  });
});
