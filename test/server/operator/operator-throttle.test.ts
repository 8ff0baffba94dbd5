/**
 * Guessing the operator token: after 10 wrong tokens within 15 minutes from one address (as TRUST_PROXY says
 * to read it), that address is refused with a 429 saying when to try again, on the operator pages, /metrics
 * and the probes alike, by every web process sharing the Redis.
 */
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { healthRoutes, probeDetails } from '../../../server/health/health.routes.ts';
import { operatorThrottle } from '../../../server/http/operator-throttle.ts';
import { createLogger } from '../../../server/logger.ts';
import { createRedis, waitUntilReady } from '../../../server/redis.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { TEST_OPERATOR_TOKEN } from '../../helpers/config.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { listen } from '../../helpers/http.ts';

const RIGHT = `Bearer ${TEST_OPERATOR_TOKEN}`;
const WRONG = 'Bearer wrong-token-wrong-token-wrong';

let app: TestApp;
beforeAll(async () => {
  // Behind one proxy: the client's address is the last one X-Forwarded-For names.
  app = await startTestApp({ workers: false, config: { trustProxy: 1 } });
}, 60_000);
afterAll(() => app?.stop());

/** A request to `path` on `on` from `address` (none: the socket's), with `authorization` (none: no header). */
function ask(on: { url: string }, path: string, address?: string, authorization?: string): Promise<Response> {
  const headers = { ...(address ? { 'X-Forwarded-For': address } : {}), ...(authorization ? { Authorization: authorization } : {}) };
  return fetch(`${on.url}${path}`, { headers });
}

/** The statuses of `times` requests, one after the other. */
async function statuses(times: number, request: () => Promise<Response>): Promise<number[]> {
  const answers: number[] = [];
  for (let i = 0; i < times; i++) answers.push((await request()).status);
  return answers;
}

describe('wrong operator tokens from one address', () => {
  it('when an address sends 10 wrong tokens, then it is refused with a 429 saying when to try again — the right token too — and another address still gets in', async () => {
    const guesser = '203.0.113.7';
    // A browser's first request carries no token: nothing guessed, nothing counted.
    expect(await statuses(12, () => ask(app, '/operator', guesser))).toEqual(Array(12).fill(401));
    // The pages and /metrics count together.
    expect(await statuses(5, () => ask(app, '/operator', guesser, WRONG))).toEqual(Array(5).fill(401));
    expect(await statuses(5, () => ask(app, '/metrics', guesser, WRONG))).toEqual(Array(5).fill(401));

    for (const [path, authorization] of [
      ['/operator', WRONG],
      ['/operator', RIGHT],
      ['/metrics', RIGHT],
      ['/operator/queues', RIGHT],
    ] as const) {
      const refused = await ask(app, path, guesser, authorization);
      expect(refused.status, `${path} ${authorization}`).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(await refused.text()).toMatch(
        /^Too many wrong operator tokens from your address \(203\.0\.113\.7\): 10 within 15 minutes\. Try again in 15 minutes \(after \d\d:\d\d UTC\); until then no token is checked from it, the right one included\.$/,
      );
    }
    expect((await ask(app, '/operator', '198.51.100.20', RIGHT)).status).toBe(200);
    expect(app.logLines.filter((line) => line.includes('operator token wrong 10 times from 203.0.113.7'))).toHaveLength(1);
    // The operator guide's way in sooner: the address's key deleted.
    expect(await app.redis.del(`${app.config.queuePrefix}:operator-failures:${guesser}`)).toBe(1);
    expect((await ask(app, '/operator', guesser, RIGHT)).status).toBe(200);
  });

  it('when 40 wrong tokens arrive at once, then no more than 10 are compared: the rest are refused with a 429', async () => {
    const burst = await Promise.all(Array.from({ length: 40 }, () => ask(app, '/metrics', '203.0.113.40', WRONG)));
    const counts = burst.reduce<Record<number, number>>((tally, answer) => ({ ...tally, [answer.status]: (tally[answer.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 10, 429: 30 });
  });

  it('when an address signs in with the right token many times, then its sign-ins are not counted as guesses', async () => {
    expect(await statuses(15, () => ask(app, '/metrics', '203.0.113.41', RIGHT))).toEqual(Array(15).fill(200));
    expect(await statuses(9, () => ask(app, '/metrics', '203.0.113.41', WRONG))).toEqual(Array(9).fill(401));
    expect((await ask(app, '/metrics', '203.0.113.41', RIGHT)).status).toBe(200);
  });

  it('when another address signs in with the right token, then the guessing address’s count stands', async () => {
    const guesser = '203.0.113.8';
    expect(await statuses(9, () => ask(app, '/metrics', guesser, WRONG))).toEqual(Array(9).fill(401));
    expect(await statuses(3, () => ask(app, '/metrics', '198.51.100.21', RIGHT))).toEqual([200, 200, 200]);
    expect(await statuses(2, () => ask(app, '/metrics', guesser, WRONG))).toEqual([401, 429]);
  });

  it('when TRUST_PROXY is not set, then X-Forwarded-For is not believed: a guesser cannot name a new address for each guess', async () => {
    const direct = await startTestApp({ workers: false, config: { trustProxy: 0 } });
    try {
      const guesses = await statuses(11, async () => ask(direct, '/metrics', `192.0.2.${Math.floor(Math.random() * 250)}`, WRONG));
      expect(guesses).toEqual([...Array(10).fill(401), 429]);
    } finally {
      await direct.stop();
    }
  });

  it('when the guesses are spread over two web processes on the same Redis, then both refuse the address', async () => {
    const shared = { trustProxy: 1, queuePrefix: `{ops${Date.now().toString(36)}}` };
    const [one, two] = await Promise.all([startTestApp({ workers: false, config: shared }), startTestApp({ workers: false, config: shared })]);
    try {
      const guesser = '203.0.113.9';
      expect(await statuses(5, () => ask(one, '/metrics', guesser, WRONG))).toEqual(Array(5).fill(401));
      expect(await statuses(5, () => ask(two, '/metrics', guesser, WRONG))).toEqual(Array(5).fill(401));
      expect((await ask(one, '/metrics', guesser, RIGHT)).status).toBe(429);
      expect((await ask(two, '/metrics', guesser, RIGHT)).status).toBe(429);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });
});

describe('the probes in production', () => {
  it('when an address guessed wrong 10 times, then the probes still answer it but tell it no more than anyone, the right token included', async () => {
    const database = await createTestDatabase();
    const refused: Database = { ...database, ping: async () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:5432')) };
    const redis = createRedis(process.env.REDIS_URL!, 'request');
    const throttle = operatorThrottle({ redis, prefix: `{probes${Date.now().toString(36)}}`, logger: createLogger({ level: 'silent' }) });
    const detailed = probeDetails({ mode: 'production', operatorToken: TEST_OPERATOR_TOKEN }, throttle);
    const server = await listen(express().use(healthRoutes({ database: refused, redis, detailed })));
    try {
      const databaseTold = async (authorization: string) =>
        ((await (await ask(server, '/healthz', undefined, authorization)).json()) as { database: string }).database;
      expect(await databaseTold(RIGHT)).toBe('down: connect ECONNREFUSED 10.1.2.3:5432');
      for (let i = 0; i < 10; i++) expect(await databaseTold(WRONG)).toBe('down');
      expect(await databaseTold(RIGHT)).toBe('down');
      expect((await ask(server, '/readyz', undefined, RIGHT)).status).toBe(503);
    } finally {
      await server.close();
      redis.disconnect();
      await database.close();
    }
  });
});

describe('Redis away', () => {
  it('when Redis cannot be reached, then the process counts alone and refuses the address after 10 wrong tokens, without waiting', async () => {
    const away = createRedis('redis://127.0.0.1:1', 'request', 'operator-throttle-away');
    const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
    try {
      const throttle = operatorThrottle({ redis: away, prefix: 'away', logger });
      const started = Date.now();
      for (let i = 0; i < 10; i++) expect(await throttle.attempt('192.0.2.1')).toBeUndefined();
      expect(await throttle.attempt('192.0.2.1')).toBe(15 * 60);
      expect(await throttle.attempt('192.0.2.2')).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      away.disconnect();
    }
  });

  it('when Redis comes back halfway through the guesses, then those the process counted alone still count: 5 and 5 make 10', async () => {
    const redis = createRedis(process.env.REDIS_URL!, 'request', 'operator-throttle-late');
    await waitUntilReady(redis, process.env.REDIS_URL!);
    // Every command refused while `away`, as a request connection refuses them until it is up again.
    let away = false;
    const flaky = new Proxy(redis, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (away) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
    try {
      const throttle = operatorThrottle({ redis: flaky, prefix: `{late${Date.now().toString(36)}}`, logger });
      away = true;
      for (let i = 0; i < 5; i++) await throttle.attempt('192.0.2.3');
      away = false;
      for (let i = 0; i < 5; i++) expect(await throttle.attempt('192.0.2.3')).toBeUndefined();
      expect(await throttle.attempt('192.0.2.3')).toBe(15 * 60);
    } finally {
      redis.disconnect();
    }
  });
});
