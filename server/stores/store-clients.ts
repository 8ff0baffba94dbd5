/**
 * A BigCommerce client per installed store, for the workers: the store's token decrypted on demand (never
 * kept in job data), and one rate budget per store shared through Redis by every process of the deployment.
 */
import { createBigCommerceClient, RedisRateLimitState } from '../bigcommerce/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import type { ClientFor } from '../workers/deps.ts';
import { findStore } from './stores.repo.ts';
import { decryptToken } from './token-cipher.ts';

export function storeClients(deps: { db: Db; config: Config; redis: Redis; logger: Logger }): ClientFor {
  const rateLimitState = new RedisRateLimitState(deps.redis, deps.config.queuePrefix);
  return async (storeHash) => {
    const store = await findStore(deps.db, storeHash);
    // An uninstalled store's token was revoked: its events are acknowledged and left alone.
    if (!store || store.status !== 'active' || !store.access_token_ciphertext) return undefined;
    return createBigCommerceClient({
      storeHash,
      accessToken: decryptToken(deps.config.encryptionKey, storeHash, store.access_token_ciphertext),
      apiUrl: deps.config.bigcommerce.apiUrl,
      rateLimitState,
      logger: deps.logger,
    });
  };
}
