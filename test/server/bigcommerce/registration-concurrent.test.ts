/**
 * Two webhook reconciliations of one store at once (the install's and the nightly reconcile's), against
 * the sandbox store, which keeps one hook per scope and destination as BigCommerce does (ref §6.1): the
 * one whose create is refused adopts the hook the other created, and both succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitState } from '../../../server/bigcommerce/rate-limit.ts';
import { createBigCommerceClient } from '../../../server/bigcommerce/client.ts';
import { reconcileWebhooks } from '../../../server/bigcommerce/register-webhooks.ts';
import { startSandbox, type Sandbox } from '../../../sandbox/index.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    clientId: 'concurrent-client',
    clientSecret: 'concurrent-secret',
    rateLimit: { quota: 0, windowMs: 30_000 },
    webhookTimeScale: 0.0001,
  });
}, 60_000);
afterAll(async () => sandbox?.stop());

describe('webhook registration', () => {
  it('when two reconciliations of a store run at once, then both succeed and the store has one hook per scope', async () => {
    const { storeHash } = await sandbox.createStore({ name: 'Concurrent store', seed: 'empty' });
    const accessToken = await sandbox.issueAccessToken(storeHash);
    const client = () => createBigCommerceClient({ storeHash, accessToken, apiUrl: sandbox.url, rateLimitState: new MemoryRateLimitState() });
    const desired = {
      scopes: ['store/order/created', 'store/order/updated', 'store/product/updated'],
      destination: 'https://backorder.example.com/webhooks/bigcommerce',
      headers: { 'X-Backorder-Webhook-Secret': 'secret' },
    };

    const [first, second] = await Promise.all([reconcileWebhooks(client(), desired), reconcileWebhooks(client(), desired)]);

    expect(first.created.length + second.created.length).toBe(3);
    expect(first.created.length + first.unchanged.length).toBe(3);
    expect(second.created.length + second.unchanged.length).toBe(3);
    const hooks = sandbox.store(storeHash).hooks() as Array<{ scope: string }>;
    expect(hooks.map((h) => h.scope).sort()).toEqual([...desired.scopes].sort());
  });
});
