import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RETRY_SCHEDULE_S } from '../../../sandbox/index.ts';
import { TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { listen } from '../../helpers/http.ts';
import { startTestSandbox, until, webhookReceiver, type TestSandbox, type WebhookReceiver } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let receiver: WebhookReceiver;
afterEach(async () => {
  await t?.stop();
  await receiver?.close();
});

async function setUp(options: Parameters<typeof startTestSandbox>[0] = {}) {
  t = await startTestSandbox(options);
  receiver = await webhookReceiver();
  return t.sandbox.store(t.storeHash);
}

async function hook(scope: string, extra: Record<string, unknown> = {}) {
  const answer = await t.post('/v3/hooks', { scope, destination: `${receiver.url}/webhooks`, is_active: true, ...extra });
  expect(answer.status).toBe(200);
  return answer.body.data as { id: number };
}

describe('webhook delivery (ref §6.2, §6.3)', () => {
  it('when an event fires, then the hook receives the envelope, its custom headers verbatim, and a Standard Webhooks signature', async () => {
    const store = await setUp();
    await hook('store/order/created', { headers: { 'X-Webhook-Secret': 's3cret value' } });
    const order = store.placeOrder({ lines: [{ productId: 100, quantity: 1 }] });
    const [delivery] = await until(() => receiver.received.length === 1 && receiver.received);
    expect(delivery!.body).toEqual({
      scope: 'store/order/created',
      store_id: store.storeId,
      data: { type: 'order', id: order.id },
      hash: createHash('sha1')
        .update(JSON.stringify({ type: 'order', id: order.id }))
        .digest('hex'),
      created_at: expect.any(Number),
      producer: `stores/${t.storeHash}`,
    });
    expect(typeof delivery!.body.store_id).toBe('string');
    expect(Math.abs(delivery!.body.created_at - Date.now() / 1000)).toBeLessThan(60);
    expect(delivery!.headers['x-webhook-secret']).toBe('s3cret value');
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = delivery!.headers;
    const expected = createHmac('sha256', TEST_CLIENT_SECRET)
      .update(`${String(id)}.${String(timestamp)}.${delivery!.rawBody}`)
      .digest('base64');
    expect(signature).toBe(`v1,${expected}`);
  });

  it('when signing is switched off, then no Standard Webhooks headers are sent', async () => {
    const store = await setUp({ switches: { signDeliveries: false } });
    await hook('store/order/created');
    store.placeOrder({ lines: [{ productId: 100, quantity: 1 }] });
    const [delivery] = await until(() => receiver.received.length === 1 && receiver.received);
    expect(delivery!.headers['webhook-signature']).toBeUndefined();
  });

  it('when hooks use wildcards, then store/order/* gets every order event and nothing else; an inactive hook gets nothing', async () => {
    const store = await setUp();
    await hook('store/order/*');
    await t.post('/v3/hooks', { scope: 'store/product/*', destination: `${receiver.url}/inactive`, is_active: false });
    const order = store.placeOrder({ lines: [{ productId: 100, quantity: 3 }] });
    store.refundOrder(order.id as number, [{ orderProductId: store.orderProducts(order.id as number)[0]!.id as number, quantity: 1 }]);
    await t.sandbox.webhooksIdle();
    expect(receiver.received.map((r) => r.body.scope)).toEqual([
      'store/order/created',
      'store/order/refund/created',
      'store/order/statusUpdated',
      'store/order/updated',
    ]);
  });

  it('when the destination keeps failing, then retries follow the schedule (scaled) and the hook is deactivated after the last', async () => {
    const scale = 0.00002;
    const store = await setUp({ webhookTimeScale: scale });
    receiver.respondWith(500);
    const { id } = await hook('store/product/updated');
    await t.put('/v3/catalog/products/100', { price: 1 });
    await until(() => store.deliveries().length === 12, 20_000, '12 attempts');
    const attempts = store.deliveries();
    expect(attempts.map((d) => d.attempt)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(attempts.every((d) => d.outcome === 'failed' && d.status === 500)).toBe(true);
    for (let i = 1; i < attempts.length; i++) {
      const gap = attempts[i]!.at - attempts[i - 1]!.at;
      // Less a millisecond: Node's timers and Date.now() tick apart, so the first retry's 1.2 ms timer (and
      // the request after it) can end within the millisecond its attempt was recorded in.
      expect(gap).toBeGreaterThanOrEqual(Math.floor(RETRY_SCHEDULE_S[i - 1]! * 1000 * scale) - 1);
    }
    expect(new Set(attempts.map((d) => d.payload.hash)).size).toBe(1);
    await until(async () => (await t.get(`/v3/hooks/${id}`)).body.data.is_active === false, 5_000, 'deactivation');
    await t.put('/v3/catalog/products/100', { price: 2 });
    await t.sandbox.webhooksIdle();
    expect(store.deliveries()).toHaveLength(12);

    // Re-enabled, it receives again.
    receiver.respondWith(200);
    await t.put(`/v3/hooks/${id}`, { is_active: true });
    await t.put('/v3/catalog/products/100', { price: 3 });
    await until(() => receiver.received.some((r) => r.body.scope === 'store/product/updated' && store.deliveries().at(-1)?.outcome === 'delivered'));
  });

  it('when the destination recovers, then retries stop at the first 2xx and the hook stays active', async () => {
    const store = await setUp({ webhookTimeScale: 0.0001 });
    receiver.respondWith(503);
    const { id } = await hook('store/product/updated');
    await t.put('/v3/catalog/products/100', { price: 1 });
    await until(() => store.deliveries().length === 2);
    receiver.respondWith(204);
    await until(() => store.deliveries().some((d) => d.outcome === 'delivered'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(store.deliveries().map((d) => d.outcome)).toEqual(['failed', 'failed', 'delivered']);
    expect((await t.get(`/v3/hooks/${id}`)).body.data.is_active).toBe(true);
  });
});

describe('delivery test switches', () => {
  it('when duplicateDeliveries is on, then every event arrives twice with the same body', async () => {
    const store = await setUp();
    store.setSwitches({ duplicateDeliveries: true });
    await hook('store/product/updated');
    await t.put('/v3/catalog/products/100', { price: 1 });
    await until(() => receiver.received.length === 2);
    expect(receiver.received[0]!.rawBody).toBe(receiver.received[1]!.rawBody);
    expect(store.deliveries().map((d) => d.kind)).toEqual(['first', 'duplicate']);
  });

  it('when outOfOrderDeliveries is on, then a batch arrives in another order than it was fired', async () => {
    const store = await setUp();
    store.setSwitches({ outOfOrderDeliveries: true, outOfOrderBatchSize: 4 });
    await hook('store/product/updated');
    const fired = [100, 102, 104, 106];
    for (const id of fired) await t.put(`/v3/catalog/products/${id}`, { price: 7 });
    await until(() => receiver.received.length === 4);
    const arrived = receiver.received.map((r) => r.body.data.id);
    expect([...arrived].sort()).toEqual(fired);
    expect(arrived).not.toEqual(fired);
  });

  it('when outOfOrderDeliveries holds fewer than a batch, then they go after the hold time', async () => {
    const store = await setUp();
    store.setSwitches({ outOfOrderDeliveries: true, outOfOrderBatchSize: 10, outOfOrderHoldMs: 100 });
    await hook('store/product/updated');
    await t.put('/v3/catalog/products/100', { price: 7 });
    await until(() => receiver.received.length === 1, 5_000);
  });

  it('when dropDeliveries is on, then the first delivery is dropped and the event is redelivered later, once', async () => {
    const store = await setUp();
    store.setSwitches({ dropDeliveries: true, redeliverAfterMs: 150 });
    await hook('store/product/updated');
    const firedAt = Date.now();
    await t.put('/v3/catalog/products/100', { price: 1 });
    await until(() => receiver.received.length === 1);
    expect(receiver.received[0]!.at - firedAt).toBeGreaterThanOrEqual(150);
    expect(store.deliveries().map((d) => [d.kind, d.outcome])).toEqual([
      ['first', 'dropped'],
      ['redelivery', 'delivered'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
  });
});

describe('deliveries of one hook in flight at once (the deliveriesInFlight switch, ref §6.3)', () => {
  /**
   * A destination that answers each delivery `holdMs` after it arrives, and counts, by path (one hook each), the
   * most deliveries it held at once and the order ids in the order they arrived.
   */
  async function slowDestination(holdMs: number) {
    const holding = new Map<string, number>();
    const most = new Map<string, number>();
    const arrived = new Map<string, number[]>();
    const server = await listen((req, res) => {
      const at = req.url ?? '';
      holding.set(at, (holding.get(at) ?? 0) + 1);
      most.set(at, Math.max(most.get(at) ?? 0, holding.get(at)!));
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        arrived.set(at, [...(arrived.get(at) ?? []), (JSON.parse(raw) as { data: { id: number } }).data.id]);
        setTimeout(() => {
          holding.set(at, holding.get(at)! - 1);
          res.end();
        }, holdMs);
      });
    });
    return { ...server, most, arrived };
  }

  /** The test's destination, closed after it. */
  let opened: Awaited<ReturnType<typeof slowDestination>> | undefined;
  afterEach(() => opened?.close());
  const slowDestinationFor = async (holdMs: number) => (opened = await slowDestination(holdMs));

  /** Places `count` one-unit orders at once: as many store/order/created events, dispatched together. */
  const placeOrders = (store: Awaited<ReturnType<typeof setUp>>, count: number) =>
    Array.from({ length: count }, () => (store.placeOrder({ lines: [{ productId: 100, quantity: 1 }] }) as { id: number }).id);

  it('when it is 4, then up to 4 of one hook’s deliveries are in flight at once, and each hook has its own 4', async () => {
    const store = await setUp();
    const destination = await slowDestinationFor(100);
    store.setSwitches({ deliveriesInFlight: 4 });
    await hook('store/order/created', { destination: `${destination.url}/a` });
    await hook('store/order/created', { destination: `${destination.url}/b` });
    const placed = placeOrders(store, 12);
    await t.sandbox.webhooksIdle();
    for (const at of ['/a', '/b']) {
      expect(destination.most.get(at), `most of hook ${at}'s deliveries held at once`).toBe(4);
      expect([...destination.arrived.get(at)!].sort((x, y) => x - y)).toEqual(placed);
    }
    expect(store.deliveries().every((d) => d.outcome === 'delivered')).toBe(true);
  });

  it('when it is 1 (the default), then one hook’s deliveries never overlap and arrive in the order fired', async () => {
    const store = await setUp();
    const destination = await slowDestinationFor(30);
    expect(store.switches().deliveriesInFlight).toBe(1);
    await hook('store/order/created', { destination: `${destination.url}/a` });
    const placed = placeOrders(store, 8);
    await t.sandbox.webhooksIdle();
    expect(destination.most.get('/a')).toBe(1);
    expect(destination.arrived.get('/a')).toEqual(placed);
  });

  it('when it is 3 with deliveries duplicated, shuffled and dropped, then each event arrives twice, late, at most 3 at once', async () => {
    const store = await setUp();
    const destination = await slowDestinationFor(60);
    store.setSwitches({
      deliveriesInFlight: 3,
      duplicateDeliveries: true,
      outOfOrderDeliveries: true,
      outOfOrderBatchSize: 4,
      dropDeliveries: true,
      redeliverAfterMs: 50,
    });
    await hook('store/order/created', { destination: `${destination.url}/a` });
    const placed = placeOrders(store, 8);
    await until(() => destination.arrived.get('/a')?.length === 16, 10_000, '16 deliveries');
    await t.sandbox.webhooksIdle();
    expect(destination.most.get('/a')).toBe(3);
    expect([...destination.arrived.get('/a')!].sort((x, y) => x - y)).toEqual(placed.flatMap((id) => [id, id]));
    const kinds = store.deliveries().map((d) => d.kind);
    expect(kinds.filter((kind) => kind === 'first')).toHaveLength(8);
    expect(kinds.filter((kind) => kind === 'redelivery')).toHaveLength(8);
    expect(kinds.filter((kind) => kind === 'duplicate')).toHaveLength(8);
  });

  it('when it is set to less than 1 or a fraction, then it is refused naming the switch, and the store keeps its value', async () => {
    const store = await setUp();
    for (const bad of [0, 2.5, -1, '4'])
      expect(() => store.setSwitches({ deliveriesInFlight: bad as number })).toThrow('switch deliveriesInFlight must be a whole number ≥ 1');
    expect(store.switches().deliveriesInFlight).toBe(1);
    const answer = await fetch(`${t.sandbox.url}/__sandbox/stores/${t.storeHash}/switches`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ deliveriesInFlight: 0 }),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toBe('switch deliveriesInFlight must be a whole number ≥ 1');
  });
});

describe('hook registration (ref §6.1)', () => {
  it('when another API client lists or reads hooks, then it sees only its own', async () => {
    await setUp();
    const { id } = await hook('store/order/created');
    const other = await t.sandbox.issueAccessToken(t.storeHash, undefined, 'another-app');
    expect((await t.get('/v3/hooks', other)).body.data).toEqual([]);
    expect((await t.get(`/v3/hooks/${id}`, other)).body).toMatchObject({ status: 404, title: `Webhook with id [${id}] not found` });
    expect((await t.call('DELETE', `/v3/hooks/${id}`, undefined, other)).status).toBe(404);
    expect((await t.post('/v3/hooks', { scope: 'store/order/created', destination: `${receiver.url}/webhooks` }, other)).status).toBe(200);
  });

  it('when the same scope and destination are registered twice by one client, then 422; more than 10 per scope too', async () => {
    await setUp();
    await hook('store/order/created');
    expect((await t.post('/v3/hooks', { scope: 'store/order/created', destination: `${receiver.url}/webhooks` })).status).toBe(422);
    for (let i = 1; i < 10; i++) await hook('store/order/created', { destination: `${receiver.url}/w${i}` });
    expect((await t.post('/v3/hooks', { scope: 'store/order/created', destination: `${receiver.url}/w10` })).status).toBe(422);
  });

  it('when a hook is deleted, then the answer is 200 with the deleted hook', async () => {
    await setUp();
    const { id } = await hook('store/sku/*');
    const answer = await t.call('DELETE', `/v3/hooks/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ id, scope: 'store/sku/*' });
    expect((await t.get(`/v3/hooks/${id}`)).status).toBe(404);
  });

  it("when HTTPS on 443 is required (BigCommerce's rule), then a loopback destination is refused; by default it is allowed", async () => {
    const store = await setUp();
    store.setSwitches({ requireHttps443: true });
    expect((await t.post('/v3/hooks', { scope: 'store/order/created', destination: `${receiver.url}/x` })).status).toBe(422);
    expect((await t.post('/v3/hooks', { scope: 'store/order/created', destination: 'https://example.com:8443/x' })).status).toBe(422);
    expect((await t.post('/v3/hooks', { scope: 'store/order/created', destination: 'https://example.com/x' })).status).toBe(200);
  });
});
