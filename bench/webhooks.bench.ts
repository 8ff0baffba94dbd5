/**
 * Webhooks.
 * - webhooks.receive.ratio_to_bare: deliveries acknowledged per second by POST /webhooks/bigcommerce
 *   (verify, record in PostgreSQL, enqueue, 200; `webhooks.receive.per_s`) ÷ the same load against a bare
 *   Express handler that only answers 200 (`webhooks.receive.bare_per_s`) — same process, same load tool
 *   (bench/load.mjs in a child process, 32 connections), unique events; four turns of 3 s each, in turn.
 * - webhooks.lag.p50_ms / p99_ms: from an order event's receipt to the commit of its stock change, with orders placed at
 *   200 a second for 10 s over 20 stores installed in the sandbox store (its rate limit off: the app's own capacity),
 *   the first orders the app and the sandbox process after they started (V8 still compiling their code, the
 *   database connections still preparing their statements). webhooks.lag.warm.p50_ms / p99_ms: the same burst
 *   again once the first is done (notes included), as a server that has been running meets one. Those orders
 *   are placed as through the API or the control panel: one event each (store/order/created).
 * - webhooks.lag.storefront.p50_ms / p99_ms: the same lag with orders placed as a storefront's checkout places
 *   them — created Incomplete, then paid: three events each (created, statusUpdated, updated) — at 67 a
 *   second for 10 s, about the same 200 order events a second, once the warm burst is done.
 * - webhooks.capacity_per_s: the highest order rate (200, 400, 600 … a second, 30 s each, stopping at the
 *   first that fails) held with every order applied within 5 s of the last placed and lag p99 ≤ 1 s, orders
 *   placed as through the API. webhooks.capacity.storefront_events_per_s: the same order-event rates, with
 *   orders placed as a storefront's checkout places them (three events each), the mix a flash sale sends.
 * - webhooks.cpu_ms_per_order.<part>: CPU milliseconds each order of that run cost the app (this process: web
 *   and workers), the sandbox store standing in for BigCommerce, PostgreSQL and Redis, until its events and
 *   notes are all done (bench/cpu-split.ts); `total` × rate ÷ 1,000 is how many of the 2 cores a rate needs.
 * BENCH_CPU_PROFILE=<file> writes the app process's CPU profile of that run (open it in Chrome's DevTools);
 * BENCH_SANDBOX_PROFILE=<folder> the sandbox process's, of its whole life, into that folder.
 * BENCH_LAG_RATES=50,100,150 also prints webhooks.lag.at_<rate>.p50_ms / p99_ms at those rates, 10 s each.
 * BENCH_DELIVERIES_IN_FLIGHT=4 has the sandbox send up to 4 of each store's hook's deliveries at once through the
 * capacity steps (its deliveriesInFlight switch; by default one after another), as BigCommerce may (ref §6.3).
 * BENCH_DEBUG=1 prints where the time went (events, the burst's lag second by second, queue timings); with
 * BENCH_PG_STATS=1 as well, the benchmark's PostgreSQL loads pg_stat_statements and the costliest statements
 * are printed too (time planning and running).
 */
import type { Job } from 'bullmq';
import express from 'express';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../server/db/database.ts';
import { webhookHeadersFor } from '../server/bigcommerce/index.ts';
import { createLogger } from '../server/logger.ts';
import { start, type Running } from '../server/main.ts';
import { WEBHOOK_PATH } from '../server/registration/registration.service.ts';
import { finishedJob } from '../test/helpers/admin.ts';
import { testConfig } from '../test/helpers/config.ts';
import { listen } from '../test/helpers/http.ts';
import { cpuSince, cpuSnapshot, portOf, startProfile } from './cpu-split.ts';
import { assignOverControl, control, freshDatabaseUrl, loadRate, pacedPosts, sandboxProcess } from './helpers.ts';
import { percentile, round, type BenchContext, type Benchmark } from './lib.ts';

const RECEIVE_TURNS = 4;
const RECEIVE_TURN_SECONDS = 3;

/** Deliveries a second the webhook route acknowledges, and a bare Express handler answers, under the same load. */
async function receiveRates(services: { databaseUrl: string; redisUrl: string }): Promise<{ appRate: number; bareRate: number }> {
  const config = testConfig({ databaseUrl: await freshDatabaseUrl(services.databaseUrl), redisUrl: services.redisUrl });
  const app = await start({ config, logger: createLogger({ level: 'silent' }), workers: false });
  const bare = express();
  bare.post('/hook', express.raw({ type: () => true }), (_req, res) => void res.status(200).json({ received: true }));
  const bareServer = await listen(bare);
  try {
    const storeHash = 'benchstore';
    const body = JSON.stringify({
      scope: 'store/order/created',
      store_id: '1001',
      data: { type: 'order', id: 1 },
      hash: '{{n}}',
      created_at: 1_795_000_000,
      producer: `stores/${storeHash}`,
    });
    const headers = webhookHeadersFor(storeHash, config.encryptionKey!);
    await loadRate(`${app.url}${WEBHOOK_PATH}`, body, headers, 2); // warm-up
    // In turns, so that a slow spell of the machine (it is a shared VM) weighs on both sides alike.
    let appRate = 0;
    let bareRate = 0;
    for (let turn = 0; turn < RECEIVE_TURNS; turn++) {
      appRate += (await loadRate(`${app.url}${WEBHOOK_PATH}`, body, headers, RECEIVE_TURN_SECONDS)) / RECEIVE_TURNS;
      bareRate += (await loadRate(`${bareServer.url}/hook`, body, headers, RECEIVE_TURN_SECONDS)) / RECEIVE_TURNS;
    }
    return { appRate, bareRate };
  } finally {
    await bareServer.close();
    await app.stop();
  }
}

const PRODUCT = 110; // seeded "Laundry Detergent": a simple product tracked by product

/** How the sandbox places a bench's orders (sandbox/orders.ts): as the API does, or as a storefront's checkout. */
type Flow = 'direct' | 'checkout';

/** The app with its workers, and 20 stores installed in the sandbox (its rate limit off: the app's own capacity). */
interface Pipeline {
  app: Running;
  db: Db;
  sandboxUrl: string;
  stores: string[];
}

async function withPipeline<T>(services: { databaseUrl: string; redisUrl: string }, measure: (pipeline: Pipeline) => Promise<T>): Promise<T> {
  const sandbox = await sandboxProcess();
  const config = testConfig({
    databaseUrl: await freshDatabaseUrl(services.databaseUrl),
    redisUrl: services.redisUrl,
    bigcommerce: { apiUrl: sandbox.url, loginUrl: sandbox.url },
    logLevel: 'silent',
  });
  let app: Running | undefined;
  try {
    app = await start({ config, logger: createLogger({ level: 'silent' }) });
    const db = app.database.db;
    if (process.env.BENCH_PG_STATS) await sql`create extension if not exists pg_stat_statements`.execute(db);
    await control(sandbox.url, 'PUT', '/app-url', { url: app.url });
    const stores: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { storeHash } = await control<{ storeHash: string }>(sandbox.url, 'POST', '/stores', { name: `Bench store ${i}`, seed: 'demo' });
      await control(sandbox.url, 'POST', `/stores/${storeHash}/install`, { call: true });
      stores.push(storeHash);
    }
    for (const storeHash of stores) {
      if ((await finishedJob(db, storeHash, 'install', 120_000)).status !== 'succeeded') throw new Error(`install of ${storeHash} failed`);
      await assignOverControl(db, sandbox.url, storeHash, PRODUCT, { stock: 0, threshold: null });
    }
    return await measure({ app, db, sandboxUrl: sandbox.url, stores });
  } finally {
    await app?.stop();
    await sandbox.stop();
  }
}

/**
 * Each order event received since `since`: when (ms since the epoch), and its lag (null while its order has
 * not moved stock): to the commit of the order's first stock movement (the benchmark's PostgreSQL keeps commit
 * timestamps), the moment the change became visible, not the start of its transaction.
 */
async function orderLags(db: Db, since: Date): Promise<Array<{ received_ms: number; lag_ms: number | null }>> {
  const { rows } = await sql<{ received_ms: number; lag_ms: number | null }>`
    select extract(epoch from e.received_at) * 1000 as received_ms, extract(epoch from (m.first_at - e.received_at)) * 1000 as lag_ms
    from webhook_events e
    left join (
      select store_hash, order_id, min(pg_xact_commit_timestamp(xmin)) as first_at from stock_movements where reason = 'order' group by store_hash, order_id
    ) m
      on m.store_hash = e.store_hash and m.order_id = (e.payload -> 'data' ->> 'id')::int
    where e.scope = 'store/order/created' and e.received_at >= ${since}`.execute(db);
  return rows.map((row) => ({ received_ms: Number(row.received_ms), lag_ms: row.lag_ms === null ? null : Number(row.lag_ms) }));
}

/**
 * Places orders at `perSecond` for `seconds`, round robin over the stores, from a load process (the app's
 * process places none), as `flow` says the sandbox places them (sandbox/orders.ts); then waits, at most
 * `drainMs` after the last, until each has moved stock. Returns each order's lag (ms from its event's receipt
 * to its stock change), whether all of them were applied, how many of their creation events the app had
 * received by then (the rest still on their way from the sandbox, whose deliveries to one hook go one after
 * another unless BENCH_DELIVERIES_IN_FLIGHT says otherwise), and the orders the sandbox did not place, when there were any (`unplaced`: then nothing was measured).
 */
async function ordersAt({ db, sandboxUrl, stores }: Pipeline, perSecond: number, seconds: number, drainMs: number, flow: Flow = 'direct') {
  const total = perSecond * seconds;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'backorder-orders-')), 'orders.jsonl');
  const body = JSON.stringify({ lines: [{ productId: PRODUCT, quantity: 1 }], flow });
  const headers = { 'content-type': 'application/json' };
  writeFileSync(
    file,
    Array.from({ length: total }, (_, i) => JSON.stringify({ path: `/__sandbox/stores/${stores[i % stores.length]}/orders`, headers, body })).join('\n'),
  );
  const since = new Date();
  const placed = await pacedPosts(`${sandboxUrl}/__sandbox`, perSecond, file).finally(() => rmSync(path.dirname(file), { recursive: true, force: true }));
  // The sandbox giving out (it shares the machine) is not the app's failure, but the rate was not offered.
  if (placed.failed > 0) return { lags: [], applied: false, count: 0, received: 0, unplaced: refusals(placed) };
  const deadline = Date.now() + drainMs;
  for (;;) {
    const rows = await orderLags(db, since);
    const applied = rows.filter((r) => r.lag_ms !== null);
    const lags = applied.map((r) => Math.max(0, r.lag_ms!));
    const counts = { count: applied.length, received: rows.length, unplaced: undefined };
    if (applied.length >= total) return { lags, applied: true, ...counts };
    if (Date.now() > deadline) return { lags, applied: false, ...counts };
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The orders the sandbox did not place, by its answer's status or the request's error: `3 of 2000 orders (ECONNRESET 2, 503 1)`. */
function refusals({ failed, sent, failures }: { failed: number; sent: number; failures: Record<string, number> }): string {
  return `${failed} of ${sent} orders (${Object.entries(failures)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ')})`;
}

/** Waits (at most two minutes) until no event and no order note is waiting or running. */
async function settled({ app }: Pipeline): Promise<void> {
  const deadline = Date.now() + 120_000;
  const busy = async () => {
    const counts = await Promise.all(
      [app.queues.webhooks, app.queues.orderNotes, app.queues.selling].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
    );
    return counts.some((c) => Object.values(c).some((n) => n > 0));
  };
  while ((await busy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

/** The median and 99th percentile of `values`, as `p50/p99`. */
const p50p99 = (values: number[]) => `${round(percentile(values, 50), 0)}/${round(percentile(values, 99), 0)}`;

/** How long completed jobs waited for a worker slot and ran (ms). */
function jobTimings(jobs: Job[]): { waited: number[]; ran: number[] } {
  return { waited: jobs.map((j) => (j.processedOn ?? 0) - j.timestamp), ran: jobs.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0)) };
}

/**
 * Where the burst's order events spent their time, from the webhooks queue's last 1,000 completed jobs taken as
 * soon as the burst is applied (later, the notes' echoes fill that list): from receipt to being queued (recording,
 * the bulk add), waiting, running; and how late the app's event loop ran through the burst.
 */
async function burstTimings({ app }: Pipeline, loopDelay: IntervalHistogram): Promise<string> {
  const jobs = (await app.queues.webhooks.getCompleted(0, 999)).filter((job) => job.name === 'store/order/created' && job.data.receivedAt);
  const { waited, ran } = jobTimings(jobs);
  const queued = jobs.map((j) => j.timestamp - j.data.receivedAt);
  const ms = (ns: number) => round(ns / 1e6, 0);
  return (
    `the burst's last ${jobs.length} order events (p50/p99 ms): queued ${p50p99(queued)} after receipt, waited ${p50p99(waited)}, ` +
    `ran ${p50p99(ran)}; the app's event loop late by p50 ${ms(loopDelay.percentile(50))}, p99 ${ms(loopDelay.percentile(99))}, max ${ms(loopDelay.max)} ms`
  );
}

/** What the debug run prints: events by scope, queue timings, and (BENCH_PG_STATS) the costliest statements. */
async function debugReport({ app, db }: Pipeline): Promise<void> {
  const stats = await sql`
    select scope, count(*) as n, avg(extract(epoch from processed_at - received_at))*1000 as avg_ms, max(attempts) as max_attempts
    from webhook_events group by scope`.execute(db);
  console.error(JSON.stringify(stats.rows));
  // The burst's lag second by second: a lag that falls as the burst goes on is the pipeline warming up.
  const lags = (await orderLags(db, new Date(0))).filter((row) => row.lag_ms !== null);
  const first = Math.min(...lags.map((row) => row.received_ms));
  const seconds = new Map<number, number[]>();
  for (const row of lags) {
    const second = Math.floor((row.received_ms - first) / 1000);
    if (!seconds.has(second)) seconds.set(second, []);
    seconds.get(second)!.push(row.lag_ms!);
  }
  const bySecond = [...seconds].sort(([a], [b]) => a - b).map(([second, ms]) => `${second}s ${p50p99(ms)} (${ms.length})`);
  console.error(`lag by second of the burst (p50/p99 ms, orders): ${bySecond.join(', ')}`);
  // The webhooks queue's own line is the burst's (burstTimings): by now its completed jobs are the notes' echoes.
  for (const name of ['selling', 'orderNotes'] as const) {
    const jobs = await app.queues[name].getCompleted(0, 999);
    if (jobs.length === 0) continue;
    const { waited, ran } = jobTimings(jobs);
    console.error(`jobs ${name}: ${jobs.length}, waited ${p50p99(waited)}, ran ${p50p99(ran)} (p50/p99 ms)`);
  }
  if (!process.env.BENCH_PG_STATS) return;
  const top = await sql<{ calls: number; plans: number; plan_ms: number; exec_ms: number; query: string }>`
    select calls, plans, round(total_plan_time::numeric, 0) as plan_ms, round(total_exec_time::numeric, 0) as exec_ms,
      left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 140) as query
    from pg_stat_statements order by total_plan_time + total_exec_time desc limit 15`.execute(db);
  for (const r of top.rows) console.error(`statement: ${r.calls} calls, ${r.plans} planned in ${r.plan_ms} ms, ran ${r.exec_ms} ms: ${r.query}`);
}

/**
 * Prints a burst's `<name>.p50_ms` and `<name>.p99_ms`; fails unless the sandbox placed all of its `total`
 * orders and every one was applied in time.
 */
function lagOf(name: string, burst: Awaited<ReturnType<typeof ordersAt>>, total: number, figure: BenchContext['figure']): void {
  if (burst.unplaced) throw new Error(`${name}: the sandbox did not place ${burst.unplaced}`);
  if (!burst.applied) throw new Error(`${name}: only ${burst.count} of ${total} orders applied in time`);
  figure(`${name}.p50_ms`, round(percentile(burst.lags, 50), 0));
  figure(`${name}.p99_ms`, round(percentile(burst.lags, 99), 0));
}

/** Once the pipeline has settled, places orders at `perSecond` for 10 s and prints their lag (`lagOf`). */
async function lagFigures(pipeline: Pipeline, name: string, perSecond: number, figure: BenchContext['figure'], flow?: Flow) {
  await settled(pipeline);
  lagOf(name, await ordersAt(pipeline, perSecond, 10, 240_000, flow), perSecond * 10, figure);
}

/** The order-event rates a capacity run steps through, 30 seconds each, until one fails to hold. */
const CAPACITY_STEPS = [200, 400, 600, 800, 1_000, 1_200, 1_600];
const STEP_SECONDS = 30;

/** The order events each order sends as `flow` places it: one through the API, three through a storefront's checkout. */
const EVENTS_PER_ORDER = { direct: 1, checkout: 3 } as const;

/**
 * Once the pipeline has settled, the highest order-event rate (of CAPACITY_STEPS) held with orders placed as
 * `flow` says: every order of the step applied within 5 s of the last one placed, with lag p99 ≤ 1 s. 0 when
 * even the first fails.
 */
async function capacity(pipeline: Pipeline, name: string, remainingMs: () => number, flow: Flow = 'direct'): Promise<number> {
  let held = 0;
  await settled(pipeline);
  for (const rate of CAPACITY_STEPS) {
    // A step takes its 30 s and the wait after; stop where the module's bound would cut one short.
    if (remainingMs() < (STEP_SECONDS + 60) * 1000) {
      console.error(`${name}: stopped stepping at ${rate}/s, the time bound is near`);
      break;
    }
    const perSecond = Math.round(rate / EVENTS_PER_ORDER[flow]);
    const { lags, applied, received, unplaced } = await ordersAt(pipeline, perSecond, STEP_SECONDS, 5_000, flow);
    const step = `${name} step ${rate} events/s (${perSecond} orders a second)`;
    if (unplaced) {
      console.error(`${step}: the sandbox did not place ${unplaced}; the app's capacity above this is not measured`);
      break;
    }
    const p99 = lags.length > 0 ? percentile(lags, 99) : Number.POSITIVE_INFINITY;
    const p50 = lags.length > 0 ? round(percentile(lags, 50), 0) : '–';
    const total = perSecond * STEP_SECONDS;
    // An order the app has not heard of waits in the sandbox's deliveries: its lag, counted from receipt, is not yet in `lags`.
    const delivered = received < total ? `, ${received} of them delivered by then` : '';
    console.error(`${step}: ${lags.length} of ${total} orders applied in time${delivered}, lag p50 ${p50} p99 ${round(p99, 0)} ms`);
    if (!applied || p99 > 1_000) break;
    held = rate;
  }
  return held;
}

/** BENCH_LAG_RATES=50,100,150: the lag also at these rates (10 s each), to see how it follows the load. */
function lagRates(): number[] {
  const given = process.env.BENCH_LAG_RATES;
  if (!given) return [];
  const rates = given.split(',').map((rate) => Number(rate.trim()));
  if (rates.some((rate) => !Number.isInteger(rate) || rate <= 0 || rate > 2_000)) {
    throw new Error(`BENCH_LAG_RATES must be whole order rates a second between 1 and 2,000, separated by commas (got "${given}")`);
  }
  return rates;
}

/**
 * BENCH_DELIVERIES_IN_FLIGHT=4: how many of one hook's deliveries the sandbox has in flight at once through the
 * capacity steps (its deliveriesInFlight switch); undefined when not given (the sandbox's default, 1).
 */
export function deliveriesInFlight(given = process.env.BENCH_DELIVERIES_IN_FLIGHT): number | undefined {
  if (given === undefined || given.trim() === '') return undefined;
  const value = Number(given.trim());
  if (!Number.isInteger(value) || value < 1 || value > 1_000) {
    throw new Error(
      `BENCH_DELIVERIES_IN_FLIGHT must be how many of one hook's deliveries may be in flight at once, a whole number from 1 to 1,000 (got "${given}")`,
    );
  }
  return value;
}

/** Sets the sandbox's deliveriesInFlight switch of every store of the pipeline, when the setting gives one. */
export async function setDeliveriesInFlight({ sandboxUrl, stores }: Pick<Pipeline, 'sandboxUrl' | 'stores'>, value: number | undefined): Promise<void> {
  if (value === undefined) return;
  for (const storeHash of stores) await control(sandboxUrl, 'PUT', `/stores/${storeHash}/switches`, { deliveriesInFlight: value });
}

const TIMEOUT_MS = 12 * 60_000;

const benchmark: Benchmark = {
  name: 'webhooks',
  timeoutMs: TIMEOUT_MS,
  async run({ figure, services, remainingMs }) {
    const rates = lagRates();
    const inFlight = deliveriesInFlight();
    const bound = Date.now() + Math.min(TIMEOUT_MS, remainingMs());
    const started = await services();
    const { appRate, bareRate } = await receiveRates(started);
    figure('webhooks.receive.per_s', Math.round(appRate));
    figure('webhooks.receive.bare_per_s', Math.round(bareRate));
    figure('webhooks.receive.ratio_to_bare', round(appRate / bareRate, 2));
    await withPipeline(started, async (pipeline) => {
      if (process.env.BENCH_PG_STATS) await sql`select pg_stat_statements_reset()`.execute(pipeline.db);
      // 200 orders a second for 10 seconds.
      const cpuBefore = cpuSnapshot();
      const profiling = process.env.BENCH_CPU_PROFILE ? await startProfile() : undefined;
      // The app's one thread (web and workers): how late its event loop ran callbacks through the burst.
      const loopDelay = process.env.BENCH_DEBUG ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
      loopDelay?.enable();
      const first = await ordersAt(pipeline, 200, 10, 240_000);
      loopDelay?.disable();
      const timings = loopDelay ? await burstTimings(pipeline, loopDelay) : undefined;
      lagOf('webhooks.lag', first, 2000, figure);
      // What one order costs the machine, its notes included: the bound on any rate these 2 cores can hold.
      await settled(pipeline);
      await profiling?.(process.env.BENCH_CPU_PROFILE!);
      const spent = cpuSince(cpuBefore, { postgres: portOf(started.databaseUrl), redis: portOf(started.redisUrl) });
      for (const [part, ms] of Object.entries(spent).sort()) figure(`webhooks.cpu_ms_per_order.${part}`, round(ms / 2000, 2));
      figure('webhooks.cpu_ms_per_order.total', round(Object.values(spent).reduce((a, b) => a + b, 0) / 2000, 2));
      if (timings) console.error(timings);
      if (process.env.BENCH_DEBUG) await debugReport(pipeline);
      // The same burst again, now that the processes have run one: what a server that has been up meets.
      await lagFigures(pipeline, 'webhooks.lag.warm', 200, figure);
      // Orders from a storefront's checkout: three events each, about as many events a second.
      await lagFigures(pipeline, 'webhooks.lag.storefront', 67, figure, 'checkout');
      for (const rate of rates) await lagFigures(pipeline, `webhooks.lag.at_${rate}`, rate, figure);
      const remaining = () => bound - Date.now();
      await setDeliveriesInFlight(pipeline, inFlight);
      figure('webhooks.capacity_per_s', await capacity(pipeline, 'webhooks.capacity_per_s', remaining));
      const storefront = 'webhooks.capacity.storefront_events_per_s';
      figure(storefront, await capacity(pipeline, storefront, remaining, 'checkout'));
    });
  },
};

export default benchmark;
