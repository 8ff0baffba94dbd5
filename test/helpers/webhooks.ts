/** Webhook envelopes as BigCommerce sends them, for tests that deliver events to the app. */
import { createHash } from 'node:crypto';

/** An event of `scope` about `data` for the store; `hash` is BigCommerce's, over the data. */
export function webhookEnvelope(storeHash: string, scope: string, data: object, createdAt = Math.floor(Date.now() / 1000), storeId = '1001') {
  return {
    scope,
    store_id: storeId,
    data,
    hash: createHash('sha1').update(JSON.stringify(data)).digest('hex'),
    created_at: createdAt,
    producer: `stores/${storeHash}`,
  };
}
