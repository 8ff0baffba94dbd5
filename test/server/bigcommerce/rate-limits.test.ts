import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { RateLimitedError } from '../../../server/bigcommerce/errors.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { budgetWaitMessage } from '../../../server/jobs/jobs.service.ts';
import { fakeApi, rateLimitHeaders, type FakeApi } from './fake-api.ts';

const STORE = { id: 'abc123', name: 'Test store' };
let api: FakeApi | undefined;
afterEach(async () => api?.close());

function clientFor(url: string, options: Partial<Parameters<typeof createBigCommerceClient>[0]> = {}) {
  return createBigCommerceClient({
    storeHash: 'abc123',
    accessToken: 'token-rate',
    apiUrl: url,
    rateLimitState: new MemoryRateLimitState(),
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}

const gap = (api: FakeApi, from: number, to: number) => api.requests[to]!.at - api.requests[from]!.at;

describe('rate limits', () => {
  it('when BigCommerce answers 429 with a reset in milliseconds, then the client waits that long and retries', async () => {
    api = await fakeApi((_r, index) =>
      index === 0 ? { status: 429, headers: rateLimitHeaders(0, 400), body: { status: 429, title: 'Too many requests' } } : { body: STORE },
    );
    const store = await clientFor(api.url).store.information();
    expect(store.name).toBe('Test store');
    expect(api.requests).toHaveLength(2);
    // 400 ms, not 400 seconds: the header is already in milliseconds.
    expect(gap(api, 0, 1)).toBeGreaterThanOrEqual(380);
    expect(gap(api, 0, 1)).toBeLessThan(5_000);
  });

  it('when a 429 gives only X-Retry-After, then the client waits those seconds', async () => {
    api = await fakeApi((_r, index) => (index === 0 ? { status: 429, headers: { 'X-Retry-After': '1' } } : { body: STORE }));
    await clientFor(api.url).store.information();
    expect(gap(api, 0, 1)).toBeGreaterThanOrEqual(950);
    expect(gap(api, 0, 1)).toBeLessThan(5_000);
  });

  it('when a 429 says nothing about when to return, then the client backs off for the longer overload delay', async () => {
    api = await fakeApi((_r, index) => (index === 0 ? { status: 429 } : { body: STORE }));
    await clientFor(api.url, { retry: { baseDelayMs: 5, maxDelayMs: 20, overloadDelayMs: 300 } }).store.information();
    expect(gap(api, 0, 1)).toBeGreaterThanOrEqual(280);
  });

  it('when 429s outlast the retries, then RateLimitedError carries the wait BigCommerce asked for', async () => {
    api = await fakeApi(() => ({ status: 429, headers: rateLimitHeaders(0, 20), body: { status: 429, title: 'Too many requests' } }));
    const error = await clientFor(api.url, { retry: { rateLimitAttempts: 3 } })
      .store.information()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(20);
    expect((error as RateLimitedError).retryable).toBe(true);
    expect(api.requests).toHaveLength(3);
  });

  it('when a response says no requests are left, then the next request waits for the window to reset', async () => {
    api = await fakeApi((_r, index) => ({ body: STORE, headers: index === 0 ? rateLimitHeaders(0, 400) : rateLimitHeaders(149, 30_000) }));
    const client = clientFor(api.url);
    await client.store.information();
    await client.store.information();
    expect(gap(api, 0, 1)).toBeGreaterThanOrEqual(380);
    expect(gap(api, 0, 1)).toBeLessThan(5_000);
  });

  it('when requests are left, then the client sends at once and counts them down across concurrent calls', async () => {
    api = await fakeApi((_r, index) => ({ body: STORE, headers: index === 0 ? rateLimitHeaders(2, 400) : {} }));
    const state = new MemoryRateLimitState();
    const client = clientFor(api.url, { rateLimitState: state });
    await client.store.information();
    // Two units left: two requests go now, the third waits for the reset.
    await Promise.all([client.store.information(), client.store.information(), client.store.information()]);
    const arrivals = api.requests
      .slice(1)
      .map((r) => r.at - api!.requests[0]!.at)
      .sort((a, b) => a - b);
    expect(arrivals[1]).toBeLessThan(300);
    expect(arrivals[2]).toBeGreaterThanOrEqual(380);
  });

  it('when two clients of one store share a state, then a spent window holds both', async () => {
    api = await fakeApi((_r, index) => ({ body: STORE, headers: index === 0 ? rateLimitHeaders(0, 400) : {} }));
    const state = new MemoryRateLimitState();
    await clientFor(api.url, { rateLimitState: state }).store.information();
    await clientFor(api.url, { rateLimitState: state }).store.information();
    expect(gap(api, 0, 1)).toBeGreaterThanOrEqual(380);
  });

  it('when the budget would hold a call longer than maxWaitMs, then RateLimitedError is thrown at once without sending', async () => {
    api = await fakeApi(() => ({ body: STORE, headers: rateLimitHeaders(0, 120_000) }));
    const client = clientFor(api.url, { retry: { maxWaitMs: 60_000 } });
    await client.store.information();
    const started = performance.now();
    const error = (await client.store.information().catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toMatch(/not sent: the store's API budget is spent/);
    expect(error.retryAfterMs).toBeGreaterThan(100_000);
    expect(budgetWaitMessage(error as RateLimitedError & { retryAfterMs: number })).toMatch(
      /^Waiting for BigCommerce: your store’s API budget is spent for now; going on in about \d+ s\.$/,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(api.requests).toHaveLength(1);
  });

  it('when a 429 asks for a wait longer than maxWaitMs, then RateLimitedError is thrown instead of waiting', async () => {
    api = await fakeApi(() => ({ status: 429, headers: { 'X-Retry-After': '300' } }));
    const error = (await clientFor(api.url)
      .store.information()
      .catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBeGreaterThan(290_000);
    expect(api.requests).toHaveLength(1);
  });
});
