/**
 * How the app checks a delivery: the secret header registered with the store's hooks (derived from
 * ENCRYPTION_KEY and the store hash), and BigCommerce's Standard Webhooks signature when it is present.
 */
import { standardWebhooksKey, verifyWebhook } from '../bigcommerce/index.ts';
import type { DeliveryVerifier } from './webhooks.service.ts';

export function deliveryVerifier(secrets: { encryptionKey: Buffer; clientSecret: string }): DeliveryVerifier {
  const signingKey = standardWebhooksKey(secrets.clientSecret);
  return (rawBody, headers, storeHash) => {
    const result = verifyWebhook({ rawBody, headers, storeHash, secretKey: secrets.encryptionKey, signingKey });
    return result.ok ? { ok: true } : { ok: false, reason: result.reason };
  };
}
