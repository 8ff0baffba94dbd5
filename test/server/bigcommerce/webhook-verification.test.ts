import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as bigcommerce from '../../../server/bigcommerce/webhook-verification.ts';

const { WEBHOOK_SECRET_HEADER, signWebhook, standardWebhooksKey, verifyWebhook, webhookHeadersFor, webhookSecretFor } = bigcommerce;

const KEY = randomBytes(32);
const CLIENT_SECRET = 'app-client-secret';
const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);
const body = JSON.stringify({
  scope: 'store/order/created',
  store_id: '1025646',
  data: { type: 'order', id: 250 },
  hash: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d',
  created_at: 1561479335,
  producer: 'stores/abc123',
});

function check(headers: Record<string, string | string[] | undefined>, rawBody: string | Buffer = body, extra = {}) {
  return verifyWebhook({ rawBody, headers, storeHash: 'abc123', secretKey: KEY, signingKey: standardWebhooksKey(CLIENT_SECRET), now: NOW, ...extra });
}

const secretHeader = { [WEBHOOK_SECRET_HEADER]: webhookSecretFor('abc123', KEY) };

function signed(rawBody: string, timestamp = NOW / 1000) {
  return {
    ...secretHeader,
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook('msg_1', timestamp, rawBody, standardWebhooksKey(CLIENT_SECRET)),
  };
}

describe('webhook delivery verification', () => {
  it('when the delivery carries the store secret header, then it is accepted', () => {
    expect(check(secretHeader)).toEqual({ ok: true, signed: false });
    // Node presents header names in lower case.
    expect(check({ 'x-backorder-webhook-secret': webhookSecretFor('abc123', KEY) })).toEqual({ ok: true, signed: false });
    expect(check(webhookHeadersFor('abc123', KEY))).toEqual({ ok: true, signed: false });
  });

  it('when the secret header is missing, then the delivery is refused', () => {
    expect(check({ 'content-type': 'application/json' })).toEqual({ ok: false, reason: 'missing-secret' });
  });

  it('when the secret header is wrong, or belongs to another store, then the delivery is refused', () => {
    expect(check({ [WEBHOOK_SECRET_HEADER]: 'guess' })).toEqual({ ok: false, reason: 'wrong-secret' });
    expect(check({ [WEBHOOK_SECRET_HEADER]: webhookSecretFor('other1', KEY) })).toEqual({ ok: false, reason: 'wrong-secret' });
    expect(check({ [WEBHOOK_SECRET_HEADER]: webhookSecretFor('abc123', randomBytes(32)) })).toEqual({ ok: false, reason: 'wrong-secret' });
    // As long as the secret, off by its last character; as long in characters but not in bytes.
    const secret = webhookSecretFor('abc123', KEY);
    expect(check({ [WEBHOOK_SECRET_HEADER]: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` })).toEqual({ ok: false, reason: 'wrong-secret' });
    expect(check({ [WEBHOOK_SECRET_HEADER]: `${secret.slice(0, -1)}é` })).toEqual({ ok: false, reason: 'wrong-secret' });
  });

  it('when a per-store secret is derived twice, then it is the same, and differs between stores', () => {
    expect(webhookSecretFor('abc123', KEY)).toBe(webhookSecretFor('abc123', KEY));
    expect(webhookSecretFor('abc123', KEY)).not.toBe(webhookSecretFor('abc124', KEY));
    expect(webhookSecretFor('abc123', KEY)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('when a Standard Webhooks signature is present and right, then the delivery is accepted as signed', () => {
    expect(check(signed(body))).toEqual({ ok: true, signed: true });
    expect(check(signed(body), Buffer.from(body))).toEqual({ ok: true, signed: true });
  });

  it('when the body was tampered with after signing, then the delivery is refused', () => {
    expect(check(signed(body), body.replace('"id":250', '"id":251'))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('when the signature is old or from the future, then the delivery is refused as stale', () => {
    expect(check(signed(body, NOW / 1000 - 301))).toEqual({ ok: false, reason: 'stale-signature' });
    expect(check(signed(body, NOW / 1000 + 301))).toEqual({ ok: false, reason: 'stale-signature' });
  });

  it('when only part of a signature is present, then the delivery is refused as malformed', () => {
    const { 'webhook-id': _id, ...withoutId } = signed(body);
    expect(check(withoutId)).toEqual({ ok: false, reason: 'malformed-signature' });
    expect(check({ ...signed(body), 'webhook-signature': 'v2,abc' })).toEqual({ ok: false, reason: 'malformed-signature' });
  });

  it('when several signatures are sent, then one matching is enough', () => {
    const headers = signed(body);
    headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
    expect(check(headers)).toEqual({ ok: true, signed: true });
  });

  it('when signatures are required and absent, then the delivery is refused', () => {
    expect(check(secretHeader, body, { requireSignature: true })).toEqual({ ok: false, reason: 'missing-signature' });
  });

  it('when a signature is right but the secret header is missing, then the delivery is still refused', () => {
    const { [WEBHOOK_SECRET_HEADER]: _secret, ...withoutSecret } = signed(body);
    expect(check(withoutSecret)).toEqual({ ok: false, reason: 'missing-secret' });
  });

  it('when headers come as a Fetch Headers object, then they are read the same way', () => {
    const headers = new Headers(signed(body));
    expect(verifyWebhook({ rawBody: body, headers, storeHash: 'abc123', secretKey: KEY, signingKey: standardWebhooksKey(CLIENT_SECRET), now: NOW })).toEqual({
      ok: true,
      signed: true,
    });
  });

  it("when BigCommerce's documented setup is followed (base64 of the client secret given to a Standard Webhooks library), then the key is the secret's bytes", () => {
    // The library strips an optional whsec_ prefix and base64-decodes what it is given.
    const libraryKey = Buffer.from(Buffer.from(CLIENT_SECRET).toString('base64'), 'base64');
    expect(standardWebhooksKey(CLIENT_SECRET).equals(libraryKey)).toBe(true);
  });

  it("when checked against the Standard Webhooks reference vector, then the signature matches the specification's", () => {
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const vectorBody = '{"test": 2432232314}';
    expect(signWebhook('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, vectorBody, key)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const result = verifyWebhook({
      rawBody: vectorBody,
      headers: {
        ...secretHeader,
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      storeHash: 'abc123',
      secretKey: KEY,
      signingKey: key,
      now: 1614265330_000,
    });
    expect(result).toEqual({ ok: true, signed: true });
  });
});
