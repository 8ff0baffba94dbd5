/**
 * Webhook delivery as BigCommerce does it (ref §6.2–6.3): POST of the envelope to every active hook whose
 * scope matches, the hook's custom headers verbatim, optional Standard Webhooks signature, retries after
 * 60 s … 24 h (scaled by `timeScale`), the hook deactivated after the last retry fails. Test switches per
 * store: duplicates, out-of-order batches, drop-and-redeliver, how many of one hook's deliveries are in flight at once.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { scopeMatches, type SandboxEvent, type WebhookPayload } from './events.ts';
import type { Hook, StoreState } from './model.ts';

/** Seconds after which each retry runs (ref §6.3); after the last one fails, the hook goes inactive. */
export const RETRY_SCHEDULE_S = [60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400] as const;
/** Deliveries kept for inspection: the latest this many. */
const DELIVERY_LOG_LIMIT = 20_000;
/** Older ones are let go this many at a time, not one a delivery (each time the whole log moves up). */
const DELIVERY_LOG_SLACK = 5_000;
/** Not documented by BigCommerce (ref §6.3 unconfirmed). */
const DELIVERY_TIMEOUT_MS = 10_000;

// Connections to the app kept for the next delivery, as BigCommerce's senders keep them.
const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo', timeout: 5_000 } as const;
const CLIENTS = {
  'http:': { request: http.request, agent: new http.Agent(AGENT_OPTIONS) },
  'https:': { request: https.request, agent: new https.Agent(AGENT_OPTIONS) },
};

/**
 * POSTs one delivery and reads its answer away; resolves the answer's status. node:http rather than fetch: on the
 * benchmark's machine every CPU millisecond the stand-in spends is one the app does not get.
 */
function post(destination: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
  const url = new URL(destination);
  const client = CLIENTS[url.protocol as keyof typeof CLIENTS];
  if (!client) return Promise.reject(new Error(`cannot deliver to a ${url.protocol} URL`));
  const { request: send, agent } = client;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent, signal }, (response) => {
      // The status is the answer, whether or not its body arrives whole.
      const answered = () => resolve(response.statusCode ?? 0);
      response.once('end', answered).once('error', answered).once('close', answered).resume();
    });
    request.once('error', reject);
    request.end(body);
  });
}

export interface Delivery {
  id: number;
  eventId: string;
  storeHash: string;
  hookId: number;
  scope: string;
  destination: string;
  /** 0 for the first attempt, n for the n-th retry. */
  attempt: number;
  kind: 'first' | 'retry' | 'duplicate' | 'redelivery';
  outcome: 'delivered' | 'failed' | 'dropped';
  status: number | null;
  error?: string;
  at: number;
  payload: WebhookPayload;
  headers: Record<string, string>;
}

interface Job {
  event: SandboxEvent;
  hookId: number;
  attempt: number;
  kind: Delivery['kind'];
}

export interface DispatcherDeps {
  timeScale: number;
  store(storeHash: string): StoreState | undefined;
  secretOf(clientId: string): string | undefined;
  /** A hook was deactivated: persist. */
  changed(): void;
  now?: () => number;
}

/** The Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` (ref §6.3). */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export class WebhookDispatcher {
  private readonly log: Delivery[] = [];
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  /** Each hook's deliveries waiting for a place among those in flight, and how many are in flight. */
  private readonly lanes = new Map<number, { waiting: Array<() => Promise<void>>; sending: number }>();
  private readonly held = new Map<string, { jobs: Job[]; timer?: NodeJS.Timeout }>();
  private readonly aborts = new Set<AbortController>();
  private stopped = false;

  constructor(private readonly deps: DispatcherDeps) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Hands an event to every active hook of its store whose scope matches (ref §6.1 wildcards). */
  enqueue(event: SandboxEvent): void {
    const store = this.deps.store(event.storeHash);
    if (!store || this.stopped) return;
    const hooks = store.hooks.filter((hook) => hook.is_active && scopeMatches(hook.scope, event.payload.scope));
    for (const hook of hooks) {
      const job: Job = { event, hookId: hook.id, attempt: 0, kind: 'first' };
      if (store.switches.outOfOrderDeliveries) this.hold(store, job);
      else this.dispatch(store, job);
    }
  }

  /** Deliveries made so far, oldest first (optionally of one store). */
  deliveries(storeHash?: string): Delivery[] {
    const kept = this.log.slice(-DELIVERY_LOG_LIMIT);
    return storeHash === undefined ? kept : kept.filter((d) => d.storeHash === storeHash);
  }

  /** Sends held out-of-order batches now. */
  flush(storeHash?: string): void {
    for (const hash of storeHash === undefined ? [...this.held.keys()] : [storeHash]) this.release(hash);
  }

  /** Resolves once nothing is held or in flight (scheduled retries and redeliveries excepted). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0 || [...this.held.values()].some((h) => h.jobs.length > 0)) {
      this.flush();
      await Promise.allSettled([...this.inflight]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const held of this.held.values()) if (held.timer) clearTimeout(held.timer);
    this.timers.clear();
    this.held.clear();
    for (const abort of this.aborts) abort.abort();
    await Promise.allSettled([...this.inflight]);
  }

  private hold(store: StoreState, job: Job): void {
    const held = this.held.get(store.hash) ?? { jobs: [] };
    this.held.set(store.hash, held);
    held.jobs.push(job);
    if (held.jobs.length >= Math.max(2, store.switches.outOfOrderBatchSize)) this.release(store.hash);
    else if (!held.timer) held.timer = setTimeout(() => this.release(store.hash), store.switches.outOfOrderHoldMs);
  }

  /** Sends a held batch shuffled, never in the order it was fired (when it has two or more). */
  private release(storeHash: string): void {
    const held = this.held.get(storeHash);
    const store = this.deps.store(storeHash);
    if (!held || !store) return;
    if (held.timer) clearTimeout(held.timer);
    held.timer = undefined;
    const jobs = held.jobs.splice(0);
    const shuffled = [...jobs].sort(() => Math.random() - 0.5);
    if (shuffled.length > 1 && shuffled.every((job, i) => job === jobs[i])) shuffled.reverse();
    for (const job of shuffled) this.dispatch(store, job);
  }

  private dispatch(store: StoreState, job: Job): void {
    if (store.switches.dropDeliveries && job.kind === 'first') {
      const hook = store.hooks.find((h) => h.id === job.hookId);
      if (hook) this.record(job, hook, 'dropped', null, {}, 'dropped by the dropDeliveries switch; redelivered later');
      this.later(store.switches.redeliverAfterMs, () => this.dispatch(store, { ...job, kind: 'redelivery' }));
      return;
    }
    this.queue(store, job);
    if (store.switches.duplicateDeliveries && job.kind !== 'retry') this.queue(store, { ...job, kind: 'duplicate' });
  }

  /**
   * Queues a delivery in its hook's lane. Up to the deliveriesInFlight switch of a hook's deliveries are in flight
   * at once, the rest start in the order they were queued: at 1, one after another, so that disorder comes only
   * from the out-of-order switch (or from retries) and tests reproduce it on demand.
   */
  private queue(store: StoreState, job: Job): void {
    const lane = this.lanes.get(job.hookId) ?? { waiting: [], sending: 0 };
    this.lanes.set(job.hookId, lane);
    const sent = new Promise<void>((resolve) =>
      lane.waiting.push(() =>
        this.send(store, job)
          .catch(() => undefined)
          .then(resolve),
      ),
    );
    this.inflight.add(sent);
    void sent.finally(() => this.inflight.delete(sent));
    this.startWaiting(store, job.hookId);
  }

  /** Starts a hook's waiting deliveries while its lane has room (the switch read each time: a change applies at once). */
  private startWaiting(store: StoreState, hookId: number): void {
    const lane = this.lanes.get(hookId);
    if (!lane) return;
    while (lane.waiting.length > 0 && lane.sending < store.switches.deliveriesInFlight) {
      const start = lane.waiting.shift()!;
      lane.sending++;
      void start().finally(() => {
        lane.sending--;
        if (lane.sending === 0 && lane.waiting.length === 0) this.lanes.delete(hookId);
        else this.startWaiting(store, hookId);
      });
    }
  }

  private later(ms: number, run: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, ms);
    this.timers.add(timer);
  }

  private async send(store: StoreState, job: Job): Promise<void> {
    const hook = store.hooks.find((h) => h.id === job.hookId);
    if (!hook || !hook.is_active || this.stopped) return;
    const body = JSON.stringify(job.event.payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(hook.headers ?? {}) };
    const secret = this.deps.secretOf(hook.client_id);
    if (store.switches.signDeliveries && secret !== undefined) {
      const timestamp = Math.floor(this.now / 1000);
      headers['webhook-id'] = job.event.id;
      headers['webhook-timestamp'] = String(timestamp);
      headers['webhook-signature'] = signature(secret, job.event.id, timestamp, body);
    }
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), DELIVERY_TIMEOUT_MS);
    let status: number | null = null;
    let error: string | undefined;
    try {
      status = await post(hook.destination, headers, body, abort.signal);
    } catch (cause) {
      error = (cause as Error).message;
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
    }
    if (this.stopped) return;
    // ref §6.3: any 2xx counts as delivered.
    const delivered = status !== null && status >= 200 && status < 300;
    this.record(job, hook, delivered ? 'delivered' : 'failed', status, headers, error);
    if (!delivered && job.kind !== 'duplicate') this.retryOrDeactivate(store, job, hook);
  }

  private retryOrDeactivate(store: StoreState, job: Job, hook: Hook): void {
    const delayS = RETRY_SCHEDULE_S[job.attempt];
    if (delayS !== undefined) {
      this.later(delayS * 1000 * this.deps.timeScale, () => this.dispatch(store, { ...job, attempt: job.attempt + 1, kind: 'retry' }));
      return;
    }
    // ref §6.3: after the last retry the hook is set inactive.
    hook.is_active = false;
    hook.updated_at = Math.floor(this.now / 1000);
    this.deps.changed();
  }

  private record(job: Job, hook: Hook, outcome: Delivery['outcome'], status: number | null, headers: Record<string, string>, error?: string): void {
    this.log.push({
      id: this.nextId++,
      eventId: job.event.id,
      storeHash: job.event.storeHash,
      hookId: hook.id,
      scope: job.event.payload.scope,
      destination: hook.destination,
      attempt: job.attempt,
      kind: job.kind,
      outcome,
      status,
      at: this.now,
      payload: job.event.payload,
      headers,
      ...(error ? { error } : {}),
    });
    if (this.log.length > DELIVERY_LOG_LIMIT + DELIVERY_LOG_SLACK) this.log.splice(0, this.log.length - DELIVERY_LOG_LIMIT);
  }
}
