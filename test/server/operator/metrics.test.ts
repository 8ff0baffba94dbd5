/**
 * Issue 18's "done when" for observability: the app installed in the sandbox store is scraped, and each
 * metric moves when its event happens — an order's webhook arrives and is applied (HTTP, queue, job,
 * webhook lag, stock movement, units over the limit), BigCommerce is called (calls, rate-limit headroom),
 * a job fails.
 */
import { describe, expect, it } from 'vitest';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { stockOf } from '../../helpers/inventory.ts';
import { metric, scrapeMetrics, type Samples } from '../../helpers/metrics.ts';
import { TEST_OPERATOR_TOKEN } from '../../helpers/config.ts';
import { watchQueueDepth } from '../../../server/metrics/metrics.ts';

const installed = useInstalledApp();

const url = () => installed.app.url;
const counter = (samples: Samples, name: string, labels: Record<string, string> = {}) => metric(samples, name, labels) ?? 0;

describe('/metrics', () => {
  it('when asked without the operator token or with a wrong one, then it answers 401 and shows nothing', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { Authorization: 'Bearer not-the-token' },
      { Authorization: `Basic ${Buffer.from('op:wrong').toString('base64')}` },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${url()}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toMatch(/backorder_/);
    }
    const basic = await fetch(`${url()}/metrics`, { headers: { Authorization: `Basic ${Buffer.from(`op:${TEST_OPERATOR_TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(200);
  });

  it('when an order takes units beyond the limit, then the webhook, job, BigCommerce, stock and over-limit metrics all move', async () => {
    const [item] = await assignInSandbox(installed, 116, { threshold: 1, stock: 0 });
    const before = await scrapeMetrics(url());

    installed.sandbox.store(installed.storeHash).placeOrder({ lines: [{ productId: 116, quantity: 3 }] });
    await expect.poll(async () => (await stockOf(installed.app.database.db, item!.id)).currentStock, { timeout: 30_000, interval: 100 }).toBe(-3);
    // The lag is observed just after the event is marked applied.
    await expect
      .poll(async () => counter(await scrapeMetrics(url()), 'backorder_webhook_lag_seconds_count', { scope: 'store/order/created' }), { timeout: 10_000 })
      .toBeGreaterThan(counter(before, 'backorder_webhook_lag_seconds_count', { scope: 'store/order/created' }));
    // A job's duration is observed on BullMQ's `completed` event, a round trip to Redis after the job ended.
    const completed = { queue: 'webhooks', outcome: 'completed' };
    await expect
      .poll(async () => counter(await scrapeMetrics(url()), 'backorder_job_duration_seconds_count', completed), { timeout: 10_000 })
      .toBeGreaterThan(counter(before, 'backorder_job_duration_seconds_count', completed));
    const after = await scrapeMetrics(url());
    const moved = (name: string, labels: Record<string, string> = {}) => counter(after, name, labels) - counter(before, name, labels);

    const hook = { method: 'POST', route: '/webhooks/bigcommerce', status: '200' };
    expect(moved('backorder_http_request_duration_seconds_count', hook)).toBeGreaterThan(0);
    expect(moved('backorder_job_duration_seconds_count', completed)).toBeGreaterThan(0);
    expect(moved('backorder_job_wait_seconds_count', { queue: 'webhooks' })).toBeGreaterThan(0);
    expect(moved('backorder_bigcommerce_requests_total', { store: installed.storeHash, method: 'GET', status: '200' })).toBeGreaterThan(0);
    expect(metric(after, 'backorder_bigcommerce_rate_limit_remaining', { store: installed.storeHash })).toBeGreaterThan(0);
    expect(moved('backorder_stock_movements_total', { reason: 'order' })).toBe(1);
    expect(moved('backorder_over_limit_units_total', { store: installed.storeHash })).toBe(2);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(metric(after, 'backorder_queue_jobs', { queue: 'webhooks', state }), state).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);

  it('when a queue depth cannot be read (Redis away), then the scrape still answers with every other metric, and says the depths are missing', async () => {
    expect(metric(await scrapeMetrics(url()), 'backorder_queue_depth_up')).toBe(1);
    const unwatch = watchQueueDepth(() => Promise.reject(new Error('Connection is closed.')));
    try {
      const samples = await scrapeMetrics(url());
      expect(metric(samples, 'backorder_queue_depth_up')).toBe(0);
      expect(metric(samples, 'backorder_queue_jobs', { queue: 'webhooks', state: 'waiting' })).toBeDefined();
      expect(metric(samples, 'backorder_process_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    } finally {
      unwatch();
    }
    expect(metric(await scrapeMetrics(url()), 'backorder_queue_depth_up')).toBe(1);
  });

  it('when a job fails, then its queue’s failures and the queue’s failed jobs rise', async () => {
    const before = await scrapeMetrics(url());
    const job = await installed.app.queues.housekeeping.add('no-such-work', {}, { attempts: 1 });
    await expect.poll(() => job.getState(), { timeout: 15_000 }).toBe('failed');
    await expect
      .poll(async () => counter(await scrapeMetrics(url()), 'backorder_job_failures_total', { queue: 'housekeeping' }), { timeout: 5_000 })
      .toBe(counter(before, 'backorder_job_failures_total', { queue: 'housekeeping' }) + 1);
    const after = await scrapeMetrics(url());
    expect(metric(after, 'backorder_queue_jobs', { queue: 'housekeeping', state: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(metric(after, 'backorder_job_duration_seconds_count', { queue: 'housekeeping', outcome: 'failed' })).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('when an admin page or the storefront API is requested, then its latency is recorded under its route pattern, not its URL', async () => {
    const before = await scrapeMetrics(url());
    await fetch(`${url()}/storefront-api/v1/stores/${installed.storeHash}/availability?products=116`);
    const after = await scrapeMetrics(url());
    const routes = new Set(after.filter((s) => s.name === 'backorder_http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].some((route) => route?.includes(installed.storeHash))).toBe(false);
    const pattern = [...routes].find((route) => route?.startsWith('/storefront-api/'));
    expect(pattern).toMatch(/:/);
    expect(counter(after, 'backorder_http_request_duration_seconds_count', { route: pattern! })).toBeGreaterThan(
      counter(before, 'backorder_http_request_duration_seconds_count', { route: pattern! }),
    );
  });
});
