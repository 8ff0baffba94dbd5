/**
 * The one door to BigCommerce: `createBigCommerceGateway` is built once by `start()` (and by each command)
 * and handed to the web app, the workers and the commands. It answers the calls that need no store (OAuth
 * code exchange, signed payload verification, the token check) and `connect(storeHash)` gives a
 * connection to one installed store, with its token decrypted on demand and kept in memory a minute at most
 * (`token-cache.ts`; never in job data). The same code talks to the sandbox store or to BigCommerce; only
 * BC_API_URL and BC_LOGIN_URL differ.
 *
 * A store that is not installed, or was uninstalled, is one error on every path: StoreNotConnectedError.
 *
 * A product read after its catalog event goes with the same store's reads of the moment, as one request;
 * an order read after its event with the reads of the same order waiting for one in flight
 * (`shared-reads.ts`): the gateway keeps one set of such reads for the connections it gives.
 *
 * Rate budget — one policy for every caller. A store's API quota is shared by every process of the
 * deployment (and the store's other apps), so its budget lives in Redis (`redis-rate-limit-state.ts`).
 * A call that finds the budget spent waits for the window's reset only when the reset is at most
 * BUDGET_WAIT_MS away; otherwise nothing is sent and it throws RateLimitedError with `retryAfterMs`.
 * No one holds a worker slot, a web request or an operator's terminal for a whole window. Callers:
 * - worker and store jobs are put back in their queue until the reset (`workers/processors.ts`), and
 *   long runs resume where they stopped (a catalog sync after the last product it saved);
 * - a web request does not wait longer either: the token check then says `unknown`, and the uninstall is
 *   checked again later;
 * - a command (`npm run reconcile`) tells the operator, waits for the reset and runs the store again.
 * Work that can wait connects as `background` and leaves the last of each window (LEFT_FOR_STOCK) to the
 * calls that keep stock and selling right: order reads, level reads, selling writes.
 */
import type { Config, UnifiedBillingConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { createBigCommerceClient } from './client.ts';
import { ForbiddenError, UnauthorizedError } from './errors.ts';
import type { BigCommerceGateway } from './gateway.types.ts';
import { exchangeCode } from './oauth.ts';
import { processRateLimitState, type CallPriority, type RateLimitState } from './rate-limit.ts';
import { RedisRateLimitState } from './redis-rate-limit-state.ts';
import type { RetryPolicy } from './request.ts';

export { BUDGET_WAIT_MS } from './request.ts';
import { verifySignedPayload } from './signed-payload.ts';
import { sharedReads, type SharedReads } from './shared-reads.ts';
import { storeConnection } from './store-connection.ts';
import { tokenCache } from './token-cache.ts';
import { createUnifiedBilling } from './unified-billing.ts';

/** How long the token check waits for BigCommerce before answering `unknown`. */
const TOKEN_CHECK_TIMEOUT_MS = 5_000;

export interface GatewayContext {
  config: Pick<Config, 'clientId' | 'clientSecret' | 'bigcommerce' | 'queuePrefix'> & { appUrl: string; unifiedBilling?: UnifiedBillingConfig | undefined };
  /**
   * The store's decrypted access token; throws StoreNotConnectedError when the store is not installed.
   * Never log it.
   */
  accessTokenFor(storeHash: string): Promise<string>;
  /** Where the budget is shared; without Redis (a command on the embedded database) it is this process's. */
  redis?: Redis;
  /** A connection of its own that hears which stores' tokens changed: with it, tokens are kept (token-cache.ts). */
  subscriber?: Redis;
  logger: Logger;
  /** How requests are sent; the global fetch unless given (a bench counts them). */
  fetch?: typeof fetch;
}

/** Builds the gateway; tests pass another one to `start({ gateway })`. */
export type GatewayFactory = (context: GatewayContext) => BigCommerceGateway;

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not configured`);
  return value;
}

/** The gateway over the real client (or the sandbox store, by BC_API_URL and BC_LOGIN_URL). */
export const createBigCommerceGateway: GatewayFactory = (context) => {
  const { config, logger } = context;
  const clientId = () => required(config.clientId, 'CLIENT_ID');
  const clientSecret = () => required(config.clientSecret, 'CLIENT_SECRET');
  const redisState = context.redis ? new RedisRateLimitState(context.redis, config.queuePrefix) : undefined;
  const rateLimitState: RateLimitState = redisState ?? processRateLimitState;
  const tokens = tokenCache({
    read: context.accessTokenFor,
    redis: context.redis,
    subscriber: context.subscriber,
    prefix: config.queuePrefix,
    logger,
  });

  // Shared by every connection given: a store's catalog events read their products together, an order's
  // events the order. One set for each priority, since a shared read goes with its first asker's connection:
  // the stock's reads never ride on a background connection's share of the budget.
  const shared: Record<CallPriority, SharedReads> = { stock: sharedReads(), background: sharedReads() };

  const clientOf = async (storeHash: string, options: { timeoutMs?: number; retry?: Partial<RetryPolicy>; priority?: CallPriority } = {}) => {
    return createBigCommerceClient({
      storeHash,
      // Throws StoreNotConnectedError for a store that is not installed: connect's one answer to that.
      accessToken: await tokens.tokenFor(storeHash),
      apiUrl: config.bigcommerce.apiUrl,
      rateLimitState,
      logger,
      ...(context.fetch ? { fetch: context.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.priority ? { priority: options.priority } : {}),
    });
  };

  const requestRate = (storeHash: string) => async () => {
    const window = await redisState?.read(storeHash);
    return window && window.quota > 0 && window.windowMs > 0 ? window.quota / (window.windowMs / 1000) : undefined;
  };

  return {
    billing: config.unifiedBilling ? createUnifiedBilling(config.unifiedBilling, config.bigcommerce.apiUrl, logger, context.fetch) : undefined,
    async exchangeCode(query) {
      const token = await exchangeCode({
        ...query,
        clientId: clientId(),
        clientSecret: clientSecret(),
        loginUrl: config.bigcommerce.loginUrl,
        redirectUri: `${config.appUrl}/auth`,
      });
      return {
        accessToken: token.access_token,
        scope: token.scope,
        user: token.user,
        owner: token.owner,
        context: token.context,
        ...(typeof token.account_uuid === 'string' ? { accountUuid: token.account_uuid } : {}),
      };
    },
    async verifySignedPayload(jwt) {
      const result = await verifySignedPayload(jwt, { clientId: clientId(), clientSecret: clientSecret() });
      if (!result.ok) return result;
      const { user, owner, url, jti, iat, exp } = result.claims;
      return { ok: true, storeHash: result.storeHash, user, owner, jti, issuedAt: iat, expiresAt: exp, ...(url !== undefined ? { url } : {}) };
    },
    async tokenStatus(storeHash) {
      // One request, never retried: a caller that cannot tell now asks again later.
      const client = await clientOf(storeHash, { timeoutMs: TOKEN_CHECK_TIMEOUT_MS, retry: { serverAttempts: 1, rateLimitAttempts: 1 } });
      try {
        await client.store.information();
        return 'works';
      } catch (error) {
        if (error instanceof UnauthorizedError) return 'revoked';
        // 403 (a scope the merchant did not grant) still means BigCommerce accepted the token.
        if (error instanceof ForbiddenError) return 'works';
        return 'unknown';
      }
    },
    async connect(storeHash, options = {}) {
      return storeConnection(await clientOf(storeHash, options), requestRate(storeHash), shared[options.priority ?? 'stock']);
    },
    forgetToken: tokens.forget,
  };
};
