import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BigCommerceError,
  ConflictError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  PartialSuccessError,
  PayloadTooLargeError,
  ServerError,
  UnauthorizedError,
  ValidationError,
} from '../../../server/bigcommerce/errors.ts';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { createLogger } from '../../../server/logger.ts';
import { fakeApi, rateLimitHeaders, type FakeApi, type Reply } from './fake-api.ts';

const TOKEN = 'secret-token-5f1e2d3c4b';
let api: FakeApi | undefined;
afterEach(async () => api?.close());

function clientFor(url: string, options: Partial<Parameters<typeof createBigCommerceClient>[0]> = {}) {
  return createBigCommerceClient({
    storeHash: 'abc123',
    accessToken: TOKEN,
    apiUrl: url,
    rateLimitState: new MemoryRateLimitState(),
    retry: { baseDelayMs: 5, maxDelayMs: 20, serverAttempts: 3 },
    ...options,
  });
}

async function failureOf(reply: Reply, call: (url: string) => Promise<unknown> = (url) => clientFor(url).catalog.products.get(7)): Promise<BigCommerceError> {
  api = await fakeApi(() => reply);
  return call(api.url).then(
    () => expect.unreachable('the call should fail') as never,
    (error: unknown) => error as BigCommerceError,
  );
}

describe('requests and errors', () => {
  it('when a call is made, then it goes to /stores/{hash}/v3/... with the token and JSON headers', async () => {
    api = await fakeApi(() => ({ body: { data: { id: 7 }, meta: {} } }));
    await clientFor(api.url).catalog.products.update(7, { availability: 'disabled' });
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'PUT', path: '/stores/abc123/v3/catalog/products/7', body: { availability: 'disabled' } });
    expect(request!.headers).toMatchObject({ 'x-auth-token': TOKEN, accept: 'application/json', 'content-type': 'application/json' });
  });

  it('when BigCommerce answers 5xx, then the call is retried with backoff and succeeds', async () => {
    api = await fakeApi((_r, index) => (index < 2 ? { status: 503, body: { status: 503, title: 'Down' } } : { body: { data: { id: 7 }, meta: {} } }));
    await expect(clientFor(api.url).catalog.products.get(7)).resolves.toMatchObject({ id: 7 });
    expect(api.requests).toHaveLength(3);
  });

  it('when 5xx answers outlast the retries, then ServerError is thrown after the bounded attempts', async () => {
    const error = await failureOf({ status: 500, body: { status: 500, title: 'Internal error' } });
    expect(error).toBeInstanceOf(ServerError);
    expect(error.retryable).toBe(true);
    expect(api!.requests).toHaveLength(3);
  });

  it('when a POST meets a 5xx, then it is not repeated (it might have created something)', async () => {
    const error = await failureOf({ status: 502 }, (url) => clientFor(url).hooks.create({ scope: 'store/order/created', destination: 'https://x.example/w' }));
    expect(error).toBeInstanceOf(ServerError);
    expect(api!.requests).toHaveLength(1);
  });

  it('when the connection drops, then the call is retried', async () => {
    api = await fakeApi((_r, index) => (index === 0 ? { hangUp: true } : { body: { data: { id: 7 }, meta: {} } }));
    await expect(clientFor(api.url).catalog.products.get(7)).resolves.toMatchObject({ id: 7 });
    expect(api.requests).toHaveLength(2);
  });

  it('when no answer comes in time, then NetworkError names the timeout', async () => {
    const error = await failureOf({ silent: true }, (url) => clientFor(url, { timeoutMs: 150, retry: { serverAttempts: 1 } }).catalog.products.get(7));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(/no answer within 150 ms/);
  });

  it.each([
    [401, UnauthorizedError, /reinstall/],
    [403, ForbiddenError, /OAuth scope.*Developer Portal/],
    [404, NotFoundError, /Product not found/],
    [409, ConflictError, /Product not found/],
    [413, PayloadTooLargeError, /Product not found/],
  ])('when BigCommerce answers %i, then the typed error is thrown at once, without retries', async (status, Type, message) => {
    const error = await failureOf({ status, body: { status, title: 'Product not found', type: '/api-docs/getting-started/api-status-codes' } });
    expect(error).toBeInstanceOf(Type);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
    expect(api!.requests).toHaveLength(1);
  });

  it("when a write is invalid (422), then ValidationError carries BigCommerce's errors map", async () => {
    const error = await failureOf({
      status: 422,
      body: { status: 422, title: 'JSON data is missing or invalid', errors: { destination: 'error.path.missing.' } },
    });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.title).toBe('JSON data is missing or invalid');
    expect(error.errors).toEqual({ destination: 'error.path.missing.' });
  });

  it('when a v2 call fails, then its error array becomes the title', async () => {
    const error = await failureOf({ status: 404, body: [{ status: 404, message: 'The requested resource was not found.' }] }, (url) =>
      clientFor(url).orders.get(99),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.title).toBe('The requested resource was not found.');
    expect(error.path).toBe('/stores/abc123/v2/orders/99');
  });

  it('when BigCommerce answers 207, then the partial success is thrown with what was saved and what failed', async () => {
    const error = await failureOf(
      {
        status: 207,
        body: { data: { id: 7 }, errors: { status: 422, title: 'Inventory not updated', errors: { inventory_level: 'invalid' } }, meta: {} },
      },
      (url) => clientFor(url).catalog.products.update(7, { inventory_level: -1 }),
    );
    expect(error).toBeInstanceOf(PartialSuccessError);
    expect((error as PartialSuccessError).data).toEqual({ id: 7 });
    expect(error.title).toBe('Inventory not updated');
    expect(error.errors).toEqual({ inventory_level: 'invalid' });
  });

  it('when calls fail in every way, then the token is in no error and no log line', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _e, done) => (lines.push(chunk.toString()), done()) });
    const logger = createLogger({ level: 'trace', destination });
    const replies: Reply[] = [
      { status: 429, headers: rateLimitHeaders(0, 5) },
      { status: 500, body: { status: 500, title: 'Boom' } },
      { hangUp: true },
      { status: 401, body: { status: 401, title: 'Unauthorized' } },
    ];
    api = await fakeApi((_r, index) => replies[index] ?? { status: 403, body: { status: 403, title: 'Forbidden' } });
    const client = clientFor(api.url, { logger });
    const errors = [await client.store.information().catch((e: unknown) => e), await client.catalog.products.get(1).catch((e: unknown) => e)];
    expect(errors[0]).toBeInstanceOf(UnauthorizedError);
    expect(errors[1]).toBeInstanceOf(ForbiddenError);
    expect(lines.length).toBeGreaterThan(3);
    const seen = [
      ...lines,
      ...errors.flatMap((e) => [JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), String((e as Error).stack)]),
      JSON.stringify(client),
      inspect(client, { depth: 10, showHidden: true }),
    ];
    for (const text of seen) expect(text).not.toContain(TOKEN);
  });
});
