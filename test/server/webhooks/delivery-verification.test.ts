/**
 * The real delivery verifier behind the whole app (startTestApp): the secret header registered with the
 * store's hooks is required, and a bad Standard Webhooks signature is logged (WEBHOOK_SIGNATURES=log, the
 * default) or refused (verify). A refused delivery leaves no webhook_events row.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../server/bigcommerce/webhook-verification.ts';
import { standardWebhooksKey, WEBHOOK_SECRET_HEADER, webhookHeadersFor } from '../../../server/bigcommerce/index.ts';
import { WEBHOOK_PATH } from '../../../server/registration/registration.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { webhookEnvelope } from '../../helpers/webhooks.ts';

const STORE = 'verifystore';
let logged: TestApp;
let verifying: TestApp;

beforeAll(async () => {
  [logged, verifying] = await Promise.all([startTestApp({ workers: false }), startTestApp({ workers: false, config: { webhookSignatures: 'verify' } })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([logged?.stop(), verifying?.stop()]);
});

function envelope(orderId: number): string {
  return JSON.stringify(webhookEnvelope(STORE, 'store/order/created', { type: 'order', id: orderId }));
}

function deliver(app: TestApp, body: string, headers: Record<string, string>) {
  return fetch(`${app.url}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

const secretHeader = (app: TestApp) => webhookHeadersFor(STORE, app.config.encryptionKey!);

/** Standard Webhooks headers over `body`, signed with `clientSecret`. */
function signed(body: string, clientSecret: string): Record<string, string> {
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(id, timestamp, body, standardWebhooksKey(clientSecret)) };
}

const rows = (app: TestApp) => app.database.db.selectFrom('webhook_events').select(['scope', 'status']).where('store_hash', '=', STORE).execute();

describe('webhook deliveries through the real verifier', () => {
  it('when the secret header is missing, then 401 names the reason and nothing is recorded', async () => {
    const response = await deliver(logged, envelope(1), {});
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Delivery not verified: missing-secret' });
    expect(await rows(logged)).toEqual([]);
  });

  it('when the secret header is wrong, then 401 names the reason and nothing is recorded', async () => {
    // The header of the other app: the right name, a secret derived from another ENCRYPTION_KEY.
    const response = await deliver(logged, envelope(2), secretHeader(verifying));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Delivery not verified: wrong-secret' });
    expect(await rows(logged)).toEqual([]);
    expect(WEBHOOK_SECRET_HEADER in secretHeader(verifying)).toBe(true);
  });

  it('when the secret header is right but the signature is bad, then by default the delivery is accepted and the failure logged', async () => {
    const body = envelope(3);
    const response = await deliver(logged, body, { ...secretHeader(logged), ...signed(body, 'not-the-client-secret') });
    expect(response.status).toBe(200);
    expect(await rows(logged)).toEqual([{ scope: 'store/order/created', status: 'received' }]);
    const warning = logged.logLines
      .map((line) => JSON.parse(line) as { level: number; msg: string; reason?: string })
      .find((l) => /signature did not verify/.test(l.msg));
    expect(warning).toMatchObject({ level: 40, reason: 'bad-signature' });
  });

  it('when WEBHOOK_SIGNATURES is verify, then a bad signature is refused and a good one accepted', async () => {
    const bad = envelope(4);
    const refused = await deliver(verifying, bad, { ...secretHeader(verifying), ...signed(bad, 'not-the-client-secret') });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'Delivery not verified: bad-signature' });
    expect(await rows(verifying)).toEqual([]);

    const good = envelope(5);
    const accepted = await deliver(verifying, good, { ...secretHeader(verifying), ...signed(good, TEST_CLIENT_SECRET) });
    expect(accepted.status).toBe(200);
    // Unsigned deliveries (the secret header alone) are accepted too: the signature is checked when present.
    expect((await deliver(verifying, envelope(6), secretHeader(verifying))).status).toBe(200);
    expect(await rows(verifying)).toHaveLength(2);
  });
});
