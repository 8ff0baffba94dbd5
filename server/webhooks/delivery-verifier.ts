/**
 * How the app checks a delivery: the secret header registered with the store's hooks (derived from
 * ENCRYPTION_KEY and the store hash; an older secret only while the store's hooks still carry it, see
 * registration/webhook-secrets.ts), and BigCommerce's Standard Webhooks signature when it is present.
 *
 * The header is the check that refuses. BigCommerce's signing key is unconfirmed (ref §6.3): were the app's
 * guess at it wrong, refusing bad signatures would refuse every delivery. So by default (WEBHOOK_SIGNATURES
 * = log) a delivery with the right header and a bad signature is accepted and the failure logged; `verify`
 * refuses it.
 */
import { standardWebhooksKey, verifyWebhook, webhookSecretFor, type WebhookFailure } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { Keyring } from '../keyring.ts';
import type { Logger } from '../logger.ts';
import { olderWebhookSecrets } from '../registration/webhook-secrets.ts';
import type { DeliveryVerifier } from './webhooks.service.ts';

const SIGNATURE_FAILURES: ReadonlySet<WebhookFailure> = new Set(['malformed-signature', 'bad-signature', 'stale-signature']);

/** Stores whose secrets are kept: each costs an HMAC to derive, on every delivery otherwise. */
const KEPT_SECRETS = 10_000;

/** The verifier of the webhook route, given the app's secrets and what a bad signature does. */
export function deliveryVerifier(options: { db: Db; keyring: Keyring; clientSecret: string; signatures: 'verify' | 'log'; logger: Logger }): DeliveryVerifier {
  const signingKey = standardWebhooksKey(options.clientSecret);
  const secrets = new Map<string, string>();
  const secretOf = (storeHash: string) => {
    let secret = secrets.get(storeHash);
    if (secret === undefined) {
      if (secrets.size >= KEPT_SECRETS) secrets.clear();
      secrets.set(storeHash, (secret = webhookSecretFor(storeHash, options.keyring.current)));
    }
    return secret;
  };
  return async (rawBody, headers, storeHash) => {
    const secretKey = options.keyring.current;
    const check = (olderSecrets: string[] = []) =>
      verifyWebhook({ rawBody, headers, storeHash, secretKey, secret: secretOf(storeHash), olderSecrets, signingKey });
    let result = check();
    // Only a delivery without the current secret costs a database read.
    if (!result.ok && result.reason === 'wrong-secret') result = check(await olderWebhookSecrets(options.db, options.keyring, storeHash));
    if (result.ok) return { ok: true };
    if (options.signatures === 'log' && SIGNATURE_FAILURES.has(result.reason)) {
      options.logger.warn({ storeHash, reason: result.reason }, 'webhook signature did not verify; accepted on its secret header (WEBHOOK_SIGNATURES=log)');
      return { ok: true };
    }
    return { ok: false, reason: result.reason };
  };
}
