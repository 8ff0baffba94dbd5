import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, until, webhookReceiver, type TestSandbox, type WebhookReceiver } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let receiver: WebhookReceiver;
beforeAll(async () => {
  t = await startTestSandbox();
  receiver = await webhookReceiver();
});
afterAll(async () => {
  await t?.stop();
  await receiver?.close();
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${t.sandbox.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the control surface over HTTP (/__sandbox)', () => {
  it('when another process creates a store and a token, then the API answers with that token', async () => {
    const created = await control('POST', '/stores', { storeHash: 'remote1', seed: 'empty' });
    expect(created).toEqual({
      status: 201,
      body: { storeHash: 'remote1', storeId: expect.stringMatching(/^\d+$/), storefrontUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    expect((await fetch(created.body.storefrontUrl)).status).toBe(200);
    const { body } = await control('POST', '/stores/remote1/tokens', { scopes: ['store_v2_products_read_only'] });
    const answer = await fetch(`${t.sandbox.url}/stores/remote1/v3/catalog/products`, { headers: { 'X-Auth-Token': body.access_token } });
    expect(answer.status).toBe(200);
    expect((await control('GET', '/stores')).body.map((s: { storeHash: string }) => s.storeHash)).toEqual([t.storeHash, 'remote1']);
  });

  it('when stock is set, an order placed and its status changed over HTTP, then the events fire and are listed', async () => {
    await t.post('/v3/hooks', { scope: 'store/order/*', destination: `${receiver.url}/hooks` });
    expect((await control('PUT', `/stores/${t.storeHash}/inventory`, { productId: 124, variantId: 1024, level: 9 })).status).toBe(200);
    const order = await control('POST', `/stores/${t.storeHash}/orders`, { lines: [{ productId: 124, variantId: 1024, quantity: 2 }] });
    expect(order.status).toBe(201);
    const cancelled = await control('PUT', `/stores/${t.storeHash}/orders/${order.body.id}/status`, { status_id: 5 });
    expect(cancelled.body.status).toBe('Cancelled');
    const events = (await control('GET', `/stores/${t.storeHash}/events`)).body.map((e: { scope: string }) => e.scope);
    expect(events).toEqual([
      'store/sku/inventory/updated',
      'store/order/created',
      'store/sku/inventory/order/updated',
      'store/order/statusUpdated',
      'store/order/updated',
      'store/sku/inventory/order/updated',
    ]);
    await until(() => receiver.received.length === 3);
    expect((await control('GET', `/stores/${t.storeHash}/deliveries`)).body).toHaveLength(3);
  });

  it('when switches are set over HTTP, then they apply; a bad switch is refused naming it', async () => {
    expect((await control('PUT', `/stores/${t.storeHash}/switches`, { duplicateDeliveries: true })).body.duplicateDeliveries).toBe(true);
    const bad = await control('PUT', `/stores/${t.storeHash}/switches`, { inventoryValue: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/inventoryValue/);
  });

  it('when an order is refused over HTTP, then the status and error say why', async () => {
    const refused = await control('POST', `/stores/${t.storeHash}/orders`, { lines: [{ productId: 101, quantity: 1 }] });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/out of stock/);
  });

  it('when a human opens the home page, then it lists the stores and where to look', async () => {
    const page = await (await fetch(`${t.sandbox.url}/`)).text();
    expect(page).toContain(`stores/${t.storeHash}`);
    expect(page).toContain(`/__sandbox/stores/${t.storeHash}/events`);
  });
});
