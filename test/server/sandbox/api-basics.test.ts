import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.stop();
});

const RATE_HEADERS = ['x-rate-limit-time-window-ms', 'x-rate-limit-time-reset-ms', 'x-rate-limit-requests-quota', 'x-rate-limit-requests-left'];

describe('v3 envelopes and pagination', () => {
  it('when products are listed without a limit, then 50 come back with meta.pagination and query-string links', async () => {
    await t.sandbox.store(t.storeHash).generateCatalog({ products: 40 });
    const first = await t.get('/v3/catalog/products');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(50);
    expect(first.body.meta.pagination).toEqual({
      total: 76,
      count: 50,
      per_page: 50,
      current_page: 1,
      total_pages: 2,
      links: { current: '?page=1&limit=50', next: '?page=2&limit=50' },
    });
    const second = await t.get('/v3/catalog/products?page=2');
    expect(second.body.data).toHaveLength(26);
    expect(second.body.meta.pagination.links).toEqual({ previous: '?page=1&limit=50', current: '?page=2&limit=50' });
    expect(second.body.data[0].id).toBe(first.body.data[49].id + 1);
  });

  it('when the limit is 250, then 250 come back; above 250 the answer is 413', async () => {
    expect((await t.get('/v3/catalog/products?limit=250')).body.meta.pagination.per_page).toBe(250);
    const tooMany = await t.get('/v3/catalog/products?limit=251');
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ status: 413, title: 'The specified limit exceeds the maximum allowed.' });
    const v2 = await t.get('/v2/orders?limit=251');
    expect(v2.status).toBe(413);
    expect(v2.body).toEqual([{ status: 413, message: 'The specified limit exceeds the maximum allowed.', details: { max_limit: 250 } }]);
  });

  it('when one resource is read, then it comes as { data, meta: {} }', async () => {
    const answer = await t.get('/v3/catalog/products/100');
    expect(Object.keys(answer.body)).toEqual(['data', 'meta']);
    expect(answer.body.meta).toEqual({});
  });
});

describe('v2 answers', () => {
  it('when no order matches, then v2 answers 204 with no body', async () => {
    const answer = await t.get('/v2/orders?min_id=1000');
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();
  });

  it('when the store’s time zone is set through the control API, then /v2/store names it with its winter and summer offsets', async () => {
    const setZone = async (name: string) => {
      const response = await fetch(`${t.sandbox.url}/__sandbox/stores/${t.storeHash}/timezone`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      return { status: response.status, body: await response.json() };
    };
    const zone = async () => (await t.get('/v2/store')).body.timezone;
    expect(await zone()).toMatchObject({ name: 'Etc/UTC', raw_offset: 0, dst_offset: 0, dst_correction: false });
    for (const [name, raw_offset, dst_offset] of [
      ['America/New_York', -18_000, -14_400],
      ['Australia/Sydney', 36_000, 39_600],
      ['Pacific/Honolulu', -36_000, -36_000],
      ['Pacific/Kiritimati', 50_400, 50_400],
    ] as const) {
      const expected = { name, raw_offset, dst_offset, dst_correction: raw_offset !== dst_offset };
      expect(await setZone(name)).toEqual({ status: 200, body: expected });
      expect(await zone()).toMatchObject(expected);
    }
    expect(await setZone('Mars/Olympus')).toEqual({
      status: 400,
      body: { error: '"Mars/Olympus" is not a time zone: give an IANA name such as America/New_York' },
    });
    expect((await zone()).name).toBe('Pacific/Kiritimati');
  });

  it('when an unknown order is asked for, then v2 answers 404 with an array error; with a .json suffix too', async () => {
    for (const path of ['/v2/orders/424242', '/v2/orders/424242.json']) {
      const answer = await t.get(path);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual([{ status: 404, message: 'The requested resource was not found.' }]);
    }
  });
});

describe('authentication, scopes and bodies', () => {
  it('when the token is missing, wrong, or of another store, then 401 with the v3 error body', async () => {
    const { storeHash } = await t.sandbox.createStore({ seed: 'empty' });
    const otherToken = await t.sandbox.issueAccessToken(storeHash);
    for (const token of ['', 'nope', otherToken]) {
      const answer = await t.get('/v3/catalog/products', token);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ status: 401, title: expect.stringMatching(/^Unauthorized/), type: expect.any(String) });
    }
    expect((await t.get('/v2/orders', 'nope')).body).toMatchObject({ status: 401 });
  });

  it('when the token lacks the scope, then 403; a read-only scope reads but cannot write', async () => {
    const readOnly = await t.sandbox.issueAccessToken(t.storeHash, ['store_v2_products_read_only']);
    expect((await t.get('/v3/catalog/products/100', readOnly)).status).toBe(200);
    const write = await t.put('/v3/catalog/products/100', { price: 1 }, readOnly);
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ status: 403, title: expect.stringMatching(/scope/) });
    const orders = await t.get('/v2/orders', readOnly);
    expect(orders.status).toBe(403);
    expect(orders.body).toEqual([{ status: 403, message: expect.stringMatching(/scope/) }]);
    // Webhooks need no scope (ref §1.5).
    expect((await t.get('/v3/hooks', readOnly)).status).toBe(200);
  });

  it('when a PUT body is not JSON, then 415; when it is malformed JSON, then 400', async () => {
    const text = await fetch(`${t.base}/v3/catalog/products/100`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': t.token, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    const broken = await fetch(`${t.base}/v3/catalog/products/100`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': t.token, 'Content-Type': 'application/json' },
      body: '{"price":',
    });
    expect(broken.status).toBe(400);
  });

  it('when a path is not part of the API, then 404 in the shape of its version', async () => {
    expect((await t.get('/v3/nothing/here')).body).toMatchObject({ status: 404 });
    expect((await t.get('/v2/nothing')).body).toEqual([{ status: 404, message: 'The requested resource was not found.' }]);
  });
});

describe('rate limiting (ref §2.5)', () => {
  it('when the quota of the window is spent, then 429 with the four headers and X-Retry-After, and the next window serves again', async () => {
    const limited = await startTestSandbox({ rateLimit: { quota: 3, windowMs: 1_500 } });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await limited.get('/v3/catalog/products?limit=1'));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      for (const answer of answers) for (const header of RATE_HEADERS) expect(answer.headers.get(header)).not.toBeNull();
      expect(answers.map((a) => a.headers.get('x-rate-limit-requests-left'))).toEqual(['2', '1', '0', '0']);
      const refused = answers[3]!;
      expect(refused.headers.get('x-rate-limit-requests-quota')).toBe('3');
      expect(refused.headers.get('x-rate-limit-time-window-ms')).toBe('1500');
      const resetMs = Number(refused.headers.get('x-rate-limit-time-reset-ms'));
      expect(resetMs).toBeGreaterThan(0);
      expect(resetMs).toBeLessThanOrEqual(1500);
      expect(refused.headers.get('x-retry-after')).toBe(String(Math.ceil(resetMs / 1000)));
      expect(refused.body).toMatchObject({ status: 429 });

      await new Promise((resolve) => setTimeout(resolve, resetMs + 50));
      const again = await limited.get('/v3/catalog/products?limit=1');
      expect(again.status).toBe(200);
      expect(again.headers.get('x-rate-limit-requests-left')).toBe('2');
    } finally {
      await limited.stop();
    }
  });

  it('when the quota is 0 (unlimited), then the headers are still sent and nothing is refused', async () => {
    const answer = await t.get('/v3/catalog/brands');
    for (const header of RATE_HEADERS) expect(answer.headers.get(header)).not.toBeNull();
    expect(answer.status).toBe(200);
  });

  it('when a 401 is answered, then it too carries the rate-limit headers', async () => {
    const answer = await t.get('/v3/catalog/brands', 'wrong');
    for (const header of RATE_HEADERS) expect(answer.headers.get(header)).not.toBeNull();
  });
});
