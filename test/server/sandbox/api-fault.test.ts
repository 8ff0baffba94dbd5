import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.stop();
});

const setSwitches = (body: Record<string, unknown>) =>
  fetch(`${t.sandbox.url}/__sandbox/stores/${t.storeHash}/switches`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the apiFault switch', () => {
  it('when a 500 spell is set over the control API, then every API call fails until it ends, v3 and v2 in their shapes', async () => {
    // Long enough for the calls below on a loaded machine; the end is checked by waiting for it.
    const spellEnds = Date.now() + 5_000;
    const response = await setSwitches({ apiFault: '500', apiFaultUntil: spellEnds });
    expect((await response.json()).apiFault).toBe('500');
    const product = await t.get('/v3/catalog/products/100');
    expect(product.status).toBe(500);
    expect(product.body).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect((await t.get('/v2/orders')).body).toEqual([{ status: 500, message: 'Internal Server Error' }]);
    expect((await t.put('/v3/catalog/products/100', { price: 3 })).status).toBe(500);
    // The control surface still answers while the API is down.
    expect((t.sandbox.store(t.storeHash).product(100) as { price: number }).price).not.toBe(3);

    await new Promise((resolve) => setTimeout(resolve, spellEnds - Date.now() + 50));
    expect((await t.get('/v3/catalog/products/100')).status).toBe(200);
  });

  it('when a 429 spell is on, then calls are refused with the quota headers, the reset no later than the spell’s end', async () => {
    t.sandbox.store(t.storeHash).setSwitches({ apiFault: '429', apiFaultUntil: Date.now() + 2_000 });
    const refused = await t.get('/v3/catalog/products');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-rate-limit-requests-left')).toBe('0');
    const resetMs = Number(refused.headers.get('x-rate-limit-time-reset-ms'));
    expect(resetMs).toBeGreaterThan(1_000);
    expect(resetMs).toBeLessThanOrEqual(2_000);
    expect(refused.headers.get('x-retry-after')).toBe('2');

    t.sandbox.store(t.storeHash).setSwitches({ apiFault: 'none' });
    expect((await t.get('/v3/catalog/products')).status).toBe(200);
  });

  it('when a spell has no end, then it lasts until switched off; a 429 then asks to wait one window', async () => {
    t.sandbox.store(t.storeHash).setSwitches({ apiFault: '429', apiFaultUntil: 0 });
    expect((await t.get('/v3/catalog/products')).headers.get('x-rate-limit-time-reset-ms')).toBe('30000');
    t.sandbox.store(t.storeHash).setSwitches({ apiFault: 'none' });
    expect((await t.get('/v3/catalog/products')).status).toBe(200);
  });

  it('when the fault is not one the sandbox knows, then the switch is refused naming it', async () => {
    const response = await setSwitches({ apiFault: '503' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/apiFault must be one of none, 500, 429/);
  });
});

describe('the apiLatencyMs switch', () => {
  it('when it is set, then every API call of the store is answered no sooner than that; set back to 0, at once again', async () => {
    t.sandbox.store(t.storeHash).setSwitches({ apiLatencyMs: 300 });
    const timed = async () => {
      const started = performance.now();
      expect((await t.get('/v3/catalog/products/100')).status).toBe(200);
      return performance.now() - started;
    };
    expect(await timed()).toBeGreaterThanOrEqual(295);

    t.sandbox.store(t.storeHash).setSwitches({ apiLatencyMs: 0 });
    expect(await timed()).toBeLessThan(295);
  });
});
