/**
 * The process's Prometheus metrics (prom-client), in one registry that `/metrics` serves. A foundation:
 * the code where an event happens records it here (the BigCommerce request core, a stock change, an order
 * converging, a webhook event applied, a job ending), and this module knows none of them. Each process
 * counts its own events: Prometheus scrapes every web and worker process (`METRICS_PORT` for workers) and
 * sums them. The metric names and what they mean are listed in docs/operator-guide.md.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'backorder_process_' });

const registers = [registry];

/** Seconds from a request's arrival to its last byte, by method, route pattern and status. */
export const httpRequestDuration = new Histogram({
  name: 'backorder_http_request_duration_seconds',
  help: 'HTTP request latency by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

/** Seconds a job ran in its worker, by queue and outcome (completed or failed). */
export const jobDuration = new Histogram({
  name: 'backorder_job_duration_seconds',
  help: 'Job run time by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
  registers,
});

/** Seconds a job waited in its queue before a worker took it (its latest attempt). */
export const jobWait = new Histogram({
  name: 'backorder_job_wait_seconds',
  help: 'Seconds from a job being queued (or retried) to a worker starting it, by queue',
  labelNames: ['queue'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
  registers,
});

/** Failed attempts, by queue; a job retried 8 times counts 8. */
export const jobFailures = new Counter({
  name: 'backorder_job_failures_total',
  help: 'Failed job attempts by queue',
  labelNames: ['queue'] as const,
  registers,
});

/** Seconds from a webhook's receipt (recorded in PostgreSQL) to its handler's work being applied. */
export const webhookLag = new Histogram({
  name: 'backorder_webhook_lag_seconds',
  help: 'Seconds from a webhook delivery being received to its event being applied, by scope',
  labelNames: ['scope'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
  registers,
});

/** Calls to BigCommerce's API, by store, method and answer (an HTTP status, or `network`). */
export const bigcommerceRequests = new Counter({
  name: 'backorder_bigcommerce_requests_total',
  help: 'BigCommerce API calls by store, method and status (network: no answer)',
  labelNames: ['store', 'method', 'status'] as const,
  registers,
});

/**
 * Reads answered by a request to BigCommerce made for another read: a store's product reads of the moment,
 * an order's events waiting for its read (`bigcommerce/shared-reads.ts`). Each is a request saved.
 */
export const bigcommerceReadsShared = new Counter({
  name: 'backorder_bigcommerce_reads_shared_total',
  help: 'Reads of BigCommerce answered by a request made for another read (requests saved), by store and kind',
  labelNames: ['store', 'kind'] as const,
  registers,
});

/** Requests left in the store's current rate-limit window, as BigCommerce last reported it. */
export const bigcommerceRateLimitRemaining = new Gauge({
  name: 'backorder_bigcommerce_rate_limit_remaining',
  help: "Requests left in the store's BigCommerce rate-limit window, as last reported",
  labelNames: ['store'] as const,
  registers,
});

/** The store's requests per window, as BigCommerce last reported it. */
export const bigcommerceRateLimitQuota = new Gauge({
  name: 'backorder_bigcommerce_rate_limit_quota',
  help: "Requests per window of the store's BigCommerce plan, as last reported",
  labelNames: ['store'] as const,
  registers,
});

/** Ledger rows written (stock movements), by cause. */
export const stockMovements = new Counter({
  name: 'backorder_stock_movements_total',
  help: 'Stock movements written to the ledger, by reason (order, sync, manual, import, restock, ...)',
  labelNames: ['reason'] as const,
  registers,
});

/** Units sold beyond an item's salable quantity (over the merchant's cap), by store. */
export const overLimitUnits = new Counter({
  name: 'backorder_over_limit_units_total',
  help: 'Units ordered beyond the salable quantity (over the backorder limit), by store',
  labelNames: ['store'] as const,
  registers,
});

/**
 * Order snapshots older than the one last converged for their order, which therefore moved nothing: a read that
 * reached its stock change after a newer read's (another worker process's, or reconcile's).
 */
export const staleOrderSnapshots = new Counter({
  name: 'backorder_stale_order_snapshots_total',
  help: 'Order snapshots skipped because a newer snapshot of the order was already converged, by store',
  labelNames: ['store'] as const,
  registers,
});

/** A source of queue depths: its job counts by queue and state. */
export type QueueDepthSource = () => Promise<Array<{ queue: string; counts: Record<string, number> }>>;

const queueDepthSources = new Set<QueueDepthSource>();

type Depths = Awaited<ReturnType<QueueDepthSource>>;

/**
 * The queues' depths for one scrape, read once for the two gauges that show them. A source that cannot be
 * read (Redis away) is left out, so the rest of the scrape is still served: the metrics matter most then.
 */
let reading: Promise<{ depths: Depths; read: boolean }> | undefined;
function readDepths(): Promise<{ depths: Depths; read: boolean }> {
  reading ??= (async () => {
    const results = await Promise.allSettled([...queueDepthSources].map((source) => source()));
    const depths = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    return { depths, read: results.every((result) => result.status === 'fulfilled') };
  })().finally(() => {
    reading = undefined;
  });
  return reading;
}

/** Jobs in each queue by state (waiting, active, delayed, failed), read from Redis at each scrape. */
export const queueJobs = new Gauge({
  name: 'backorder_queue_jobs',
  help: 'Jobs per queue and state (waiting, active, delayed, failed, prioritized, waiting-children), read at scrape',
  labelNames: ['queue', 'state'] as const,
  registers,
  async collect() {
    this.reset();
    for (const { queue, counts } of (await readDepths()).depths) {
      for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
    }
  },
});

/** Whether the scrape could read the queues' depths: 0 while Redis does not answer. */
export const queueDepthUp = new Gauge({
  name: 'backorder_queue_depth_up',
  help: '1 when the scrape read every queue depth from Redis, 0 when Redis did not answer',
  registers,
  async collect() {
    this.set((await readDepths()).read ? 1 : 0);
  },
});

/** Makes `backorder_queue_jobs` read the source at each scrape; returns the function that stops it. */
export function watchQueueDepth(source: QueueDepthSource): () => void {
  queueDepthSources.add(source);
  return () => queueDepthSources.delete(source);
}

/** The registry in Prometheus's text format, with its content type. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
