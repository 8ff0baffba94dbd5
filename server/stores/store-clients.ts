/**
 * A BigCommerce client per installed store, for the workers: the store's token decrypted on demand (never
 * kept in job data), and one rate budget per store shared through Redis by every process of the deployment.
 */
import { createBigCommerceClient, RedisRateLimitState, type BigCommerceClient } from '../bigcommerce/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { configuredKeyring } from '../keyring.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import type { ClientFor } from '../workers/deps.ts';
import { WORKER_MAX_RATE_WAIT_MS } from '../workers/rate-limited.ts';
import { findStore } from './stores.repo.ts';
import { decryptToken } from './token-cipher.ts';

/** How long a store's client is reused before its row is read again (an uninstall is seen this late at most). */
const CLIENT_TTL_MS = 10_000;

export function storeClients(deps: { db: Db; config: Config; redis: Redis; logger: Logger; now?: () => number }): ClientFor {
  const rateLimitState = new RedisRateLimitState(deps.redis, deps.config.queuePrefix);
  const now = deps.now ?? Date.now;
  const recent = new Map<string, { client: BigCommerceClient | undefined; until: number }>();
  return async (storeHash) => {
    const cached = recent.get(storeHash);
    if (cached && cached.until > now()) return cached.client;
    const client = await connect(storeHash);
    recent.set(storeHash, { client, until: now() + CLIENT_TTL_MS });
    return client;
  };

  async function connect(storeHash: string): Promise<BigCommerceClient | undefined> {
    const store = await findStore(deps.db, storeHash);
    // An uninstalled store's token was revoked: its events are acknowledged and left alone.
    if (!store || store.status !== 'active' || !store.access_token_ciphertext) return undefined;
    return createBigCommerceClient({
      storeHash,
      accessToken: decryptToken(configuredKeyring(deps.config), storeHash, store.access_token_ciphertext),
      apiUrl: deps.config.bigcommerce.apiUrl,
      rateLimitState,
      retry: { maxWaitMs: WORKER_MAX_RATE_WAIT_MS },
      logger: deps.logger,
    });
  }
}
