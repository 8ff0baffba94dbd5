/**
 * Graceful shutdown: stop() (what SIGTERM runs) first answers the HTTP requests in flight, then lets the
 * workers finish their active jobs, and only then closes Redis and the database they use. A request in flight
 * has most of its step's 10 s to be answered.
 */
import { describe, expect, it } from 'vitest';
import { StoreNotConnectedError, type GatewayFactory } from '../../../server/bigcommerce/index.ts';
import { openDatabase } from '../../../server/db/database.ts';
import { watchQueueDepth } from '../../../server/metrics/metrics.ts';
import { recordEvent } from '../../../server/webhooks/webhook-events.repo.ts';
import { enqueueEvent } from '../../../server/webhooks/webhooks.service.ts';
import { startTestApp } from '../../helpers/app.ts';
import { TEST_OPERATOR_TOKEN } from '../../helpers/config.ts';
import { createStore } from '../../helpers/inventory.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

describe('graceful shutdown', () => {
  it('when the app stops while a request and a job are under way, then the request is answered and the job finishes and records its outcome', async () => {
    // The job: an order event whose handler is held at its call to BigCommerce until the stop has begun.
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const gateway: GatewayFactory = () =>
      ({
        connect: async (storeHash: string) => {
          entered();
          await released;
          throw new StoreNotConnectedError(storeHash, 'uninstalled');
        },
      }) as unknown as ReturnType<GatewayFactory>;
    const app = await startTestApp({ gateway });
    let stopped = false;
    try {
      const storeHash = await createStore(app.database.db, 'drainstore');
      const envelope = webhookEnvelope(storeHash, 'store/order/created', { type: 'order', id: 5001 }) as Parameters<typeof recordEvent>[2];
      const { event } = await recordEvent(app.database.db, storeHash, envelope);
      await enqueueEvent(app.queues.webhooks, { ...event, envelope });
      await handlerEntered;

      // The request: a scrape whose queue depths take 4 s to read (an export or an upload takes as long).
      const unwatch = watchQueueDepth(() => new Promise((resolve) => setTimeout(() => resolve([]), 4_000)));
      const scrape = fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` } });
      await new Promise((resolve) => setTimeout(resolve, 200));

      const stopping = app.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stopped).toBe(false);
      release();
      const response = await scrape;
      unwatch();
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/backorder_job_duration_seconds/);
      await stopping;
    } finally {
      release();
      if (!stopped) await app.stop();
    }
    // Read after the stop, from a connection of its own: the job had recorded its outcome before the database closed.
    const database = await openDatabase({ databaseUrl: app.testDatabase.url });
    try {
      const row = await database.db.selectFrom('webhook_events').select('status').where('store_hash', '=', 'drainstore').executeTakeFirstOrThrow();
      expect(row.status).toBe('ignored');
    } finally {
      await database.close();
    }
  }, 60_000);
});
