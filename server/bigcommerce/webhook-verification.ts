/**
 * Is a webhook delivery really from BigCommerce for this store? (§6.3)
 *
 * 1. The secret header. Hooks are registered with `X-Backorder-Webhook-Secret: <secret>`, and
 *    BigCommerce sends registered headers verbatim with every delivery. The secret is per store and
 *    derived, not stored: base64url(HMAC-SHA256(key, "backorder webhook secret v1:" + storeHash)), the key
 *    being the webhook-secret key derived from the app's ENCRYPTION_KEY (keyring.ts). A leaked secret
 *    opens one store only; no table is needed. Hooks registered before keys were derived per purpose
 *    carry the "legacy" secret, made under ENCRYPTION_KEY itself: the caller passes it (or a rotated
 *    key's secret) in `olderSecrets` until the store's hooks are registered again.
 * 2. The Standard Webhooks signature, when the delivery carries one: `webhook-signature` holds
 *    `v1,<base64 HMAC-SHA256("{webhook-id}.{webhook-timestamp}.{raw body}")>` entries. BigCommerce's docs
 *    verify with a Standard Webhooks library given base64(client secret); the library base64-decodes
 *    its secret, so the HMAC key is the client secret's own UTF-8 bytes.
 *
 * Both are checked on the raw body, before any parsing, and compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey, keyId } from '../keyring.ts';

/** The custom header registered with every hook (read without regard to case). */
export const WEBHOOK_SECRET_HEADER = 'X-Backorder-Webhook-Secret';

const secretUnder = (key: Buffer, storeHash: string) => createHmac('sha256', key).update(`backorder webhook secret v1:${storeHash}`).digest('base64url');

/** The secret a store's hooks carry in WEBHOOK_SECRET_HEADER, given ENCRYPTION_KEY. */
export function webhookSecretFor(storeHash: string, encryptionKey: Buffer): string {
  return secretUnder(deriveKey(encryptionKey, 'webhook-secret'), storeHash);
}

/** The secret of hooks registered before keys were derived per purpose: made under ENCRYPTION_KEY itself. */
export function legacyWebhookSecretFor(storeHash: string, encryptionKey: Buffer): string {
  return secretUnder(encryptionKey, storeHash);
}

/** The id of the key `webhookSecretFor` uses, recorded with a store once its hooks carry that secret. */
export function webhookSecretKeyId(encryptionKey: Buffer): string {
  return keyId(deriveKey(encryptionKey, 'webhook-secret'));
}

/** The `headers` to register a store's hooks with (`reconcileWebhooks({ headers })`). */
export function webhookHeadersFor(storeHash: string, encryptionKey: Buffer): Record<string, string> {
  return { [WEBHOOK_SECRET_HEADER]: webhookSecretFor(storeHash, encryptionKey) };
}

/** The HMAC key of BigCommerce's Standard Webhooks signatures: the client secret's UTF-8 bytes. */
export function standardWebhooksKey(clientSecret: string): Buffer {
  return Buffer.from(clientSecret, 'utf8');
}

export type WebhookFailure = 'missing-secret' | 'wrong-secret' | 'missing-signature' | 'malformed-signature' | 'bad-signature' | 'stale-signature';

export type WebhookVerification = { ok: true; signed: boolean } | { ok: false; reason: WebhookFailure };

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  rawBody: Buffer | string;
  headers: HeaderBag;
  /** The store the delivery claims to be for (`producer` is `stores/{hash}`). */
  storeHash: string;
  /** The key the per-store secret is derived from (ENCRYPTION_KEY). */
  secretKey: Buffer;
  /** The store's secret under `secretKey`, when the caller keeps it (it is derived otherwise). */
  secret?: string;
  /** Secrets the store's hooks may still carry (legacy, or a rotated key's) until they are registered again. */
  olderSecrets?: readonly string[];
  /** The Standard Webhooks HMAC key: `standardWebhooksKey(clientSecret)` for BigCommerce's deliveries. */
  signingKey: Buffer;
  /** Refuse deliveries without a Standard Webhooks signature (default false: the header is the primary check). */
  requireSignature?: boolean;
  /** Epoch ms; default now. */
  now?: number;
  /** How far `webhook-timestamp` may be from now, in seconds; default 300 (the Standard Webhooks default). */
  toleranceSeconds?: number;
}

/** Verifies one delivery: the secret header always, the signature whenever one is present. */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookVerification {
  const given = header(options.headers, WEBHOOK_SECRET_HEADER);
  if (!given) return { ok: false, reason: 'missing-secret' };
  const accepted = [options.secret ?? webhookSecretFor(options.storeHash, options.secretKey), ...(options.olderSecrets ?? [])];
  // Every candidate is compared, so the time taken does not tell which one matched.
  if (!accepted.map((secret) => constantTimeEqual(given, secret)).includes(true)) return { ok: false, reason: 'wrong-secret' };

  const id = header(options.headers, 'webhook-id');
  const timestamp = header(options.headers, 'webhook-timestamp');
  const signature = header(options.headers, 'webhook-signature');
  if (id === undefined && timestamp === undefined && signature === undefined) {
    return options.requireSignature ? { ok: false, reason: 'missing-signature' } : { ok: true, signed: false };
  }
  const failure = checkSignature(options, id, timestamp, signature);
  return failure ? { ok: false, reason: failure } : { ok: true, signed: true };
}

function checkSignature(options: VerifyWebhookOptions, id?: string, timestamp?: string, signature?: string): WebhookFailure | undefined {
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return 'malformed-signature';
  const now = (options.now ?? Date.now()) / 1000;
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return 'stale-signature';
  const body = typeof options.rawBody === 'string' ? Buffer.from(options.rawBody, 'utf8') : options.rawBody;
  const expected = createHmac('sha256', options.signingKey).update(`${id}.${timestamp}.`).update(body).digest();
  // Several space-separated `v1,<base64>` entries may be sent (key rotation); one match suffices.
  const candidates = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  if (candidates.length === 0) return 'malformed-signature';
  return candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected)) ? undefined : 'bad-signature';
}

/** Signs a delivery as Standard Webhooks does and returns the `webhook-signature` value. For tests. */
export function signWebhook(id: string, timestamp: number, rawBody: string | Buffer, signingKey: Buffer): string {
  const mac = createHmac('sha256', signingKey).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
  return `v1,${mac}`;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  // Node's request headers are lower-cased already: one look-up, not a scan.
  const lower = name.toLowerCase();
  if (lower in headers) return first(headers[lower]);
  return first(Object.entries(headers).find(([key]) => key.toLowerCase() === lower)?.[1]);
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function constantTimeEqual(given: string, secret: string): boolean {
  // Only the bytes are compared in constant time: a secret's length is no secret (every one is a
  // base64url SHA-256, 43 characters), and hashing both sides first cost every delivery two HMACs.
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
