/**
 * A store that uninstalled the app is one thing on every path that reaches BigCommerce: the gateway's
 * connect throws StoreNotConnectedError (the one type, from the store's own row), a webhook event of the
 * store is acknowledged as ignored, and a worker job for it ends as `store-not-installed`.
 */
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBigCommerceGateway, type BigCommerceGateway } from '../../../server/bigcommerce/index.ts';
import { createLogger } from '../../../server/logger.ts';
import { orderEventHandlers } from '../../../server/orders/order-events.handler.ts';
import { createRedis } from '../../../server/redis.ts';
import { accessTokenFor, uninstallStore } from '../../../server/stores/stores.service.ts';
import { eventProcessor } from '../../../server/webhooks/process-event.ts';
import { recordEvent } from '../../../server/webhooks/webhook-events.repo.ts';
import { storeWork } from '../../../server/workers/processors.ts';
import { testConfig } from '../../helpers/config.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

const database = useTestDatabase();
const config = { ...testConfig(), appUrl: 'https://backorder.example.com' };
const producer = createRedis(config.redisUrl!, 'producer');
const connection = createRedis(config.redisUrl!, 'worker');
const logger = createLogger({ level: 'silent' });
let gateway: BigCommerceGateway;

beforeAll(async () => {
  await createStore(database.db, 'gone1');
  await uninstallStore(database.db, 'gone1', 30);
  gateway = createBigCommerceGateway({
    config,
    redis: producer,
    logger,
    accessTokenFor: (storeHash) => accessTokenFor(database.db, config.encryptionKey, storeHash),
  });
});
afterAll(() => {
  producer.disconnect();
  connection.disconnect();
});

describe('a store that is not connected', () => {
  it('when the gateway is asked for a store that never installed or uninstalled the app, then it says which, with one error type', async () => {
    await expect(gateway.connect('gone1')).rejects.toMatchObject({ name: 'StoreNotConnectedError', reason: 'uninstalled', status: 409 });
    await expect(gateway.connect('never1')).rejects.toMatchObject({ name: 'StoreNotConnectedError', reason: 'not-installed', status: 404 });
  });

  it('when an order event of an uninstalled store is processed, then it is acknowledged as ignored, not failed', async () => {
    // The handler stops at connect: nothing is converged or queued for a store that is gone.
    const handlers = orderEventHandlers({
      db: database.db,
      gateway,
      effects: { changed: async () => {}, check: async () => {}, writeLevels: async () => {} },
      queues: { orderNotes: undefined as never },
    });
    const envelope = { ...webhookEnvelope('gone1', 'store/order/created', { type: 'order', id: 7 }), data: { type: 'order', id: 7 } };
    const { event } = await recordEvent(database.db, 'gone1', envelope);
    const job = { eventId: event.id, storeHash: 'gone1', scope: envelope.scope, envelope, receivedAt: event.received_at.getTime() };
    expect(await eventProcessor({ db: database.db, handlers, logger })(job, { isLast: false })).toBe('ignored');
    const row = await database.db.selectFrom('webhook_events').select(['status', 'last_error']).where('id', '=', event.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'ignored', last_error: null });
  });

  it('when a worker job is for an uninstalled store, then it ends as store-not-installed, without a retry', async () => {
    const queue = new Queue('not-connected-test', { connection: producer, prefix: config.queuePrefix });
    const worker = new Worker<{ storeHash: string }>(
      'not-connected-test',
      storeWork(async (job) => {
        await gateway.connect(job.data.storeHash);
        return 'called BigCommerce';
      }),
      { connection, prefix: config.queuePrefix },
    );
    try {
      const job = await queue.add('check', { storeHash: 'gone1' }, { attempts: 3 });
      await expect.poll(async () => (await queue.getJob(job.id!))?.returnvalue, { timeout: 10_000 }).toBe('store-not-installed');
      expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
