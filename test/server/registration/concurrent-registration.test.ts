/** Two registrations of one store at once (the install's and a reconcile's), against the sandbox store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBigCommerceClient, MemoryRateLimitState } from '../../../server/bigcommerce/index.ts';
import { registerInStore, WEBHOOK_SCOPES } from '../../../server/registration/registration.service.ts';
import { readStorefrontBundle } from '../../../server/registration/storefront-bundle.ts';
import { DIST_DIR } from '../../../server/workers/reconcile.worker.ts';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ storeHash: 'twice', seed: 'empty' });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('registering webhooks', () => {
  it('when two registrations run at once, then both succeed and each hook exists once', async () => {
    const client = () =>
      createBigCommerceClient({ storeHash: sandbox.storeHash, accessToken: sandbox.token, apiUrl: sandbox.sandbox.url, rateLimitState: new MemoryRateLimitState() });
    const options = { appUrl: 'https://backorder.example', encryptionKey: Buffer.alloc(32, 7), bundle: await readStorefrontBundle(DIST_DIR) };

    const results = await Promise.allSettled([registerInStore(client(), options), registerInStore(client(), options)]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
    const hooks = (await sandbox.get('/v3/hooks')).body.data as Array<{ scope: string }>;
    expect(hooks.map((h) => h.scope).sort()).toEqual([...WEBHOOK_SCOPES].sort());
  });
});
