/**
 * The app's ports answered by the real BigCommerce client (`server/bigcommerce/`): OAuth code exchange,
 * signed payload verification (aud, iss, sub, expiry), and per store — with its decrypted token, the
 * deployment-wide rate budget in Redis — the store profile, webhook and script registration, the catalog
 * pages, and handing inventory tracking back. The same code talks to the sandbox store or BigCommerce;
 * only BC_API_URL and BC_LOGIN_URL differ.
 */
import {
  createBigCommerceClient,
  exchangeCode,
  ForbiddenError,
  NotFoundError,
  reconcileWebhooks,
  UnauthorizedError,
  RedisRateLimitState,
  verifySignedPayload,
  webhookSecretKeyId,
  type BigCommerceClient,
  type BigCommerceClientOptions,
} from '../bigcommerce/index.ts';
import { desiredWebhooks, registerScripts } from '../registration/registration.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../registration/storefront-bundle.ts';
import { readStoreProfile } from '../stores/store-profile.ts';
import { assignmentCalls, PRODUCT_FIELDS } from './assignment-ports.ts';
import type { BigCommercePorts, CatalogSource, PortsContext, ReconcileSummary, StoreConnection, TrackingRestore } from './ports.ts';


/** How long the token check waits for BigCommerce before answering `unknown`. */
const TOKEN_CHECK_TIMEOUT_MS = 5_000;

/** Counts of a reconciliation report's lists. */
function summary(report: { created: unknown[]; updated: unknown[]; deleted: unknown[]; unchanged: unknown[] }): ReconcileSummary {
  return { created: report.created.length, updated: report.updated.length, deleted: report.deleted.length, unchanged: report.unchanged.length };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not configured`);
  return value;
}

/** Tracking on again, with the levels to write: on the product itself, or on each variant. */
async function restoreTracking(client: BigCommerceClient, restore: TrackingRestore): Promise<void> {
  const productLevel = restore.mode === 'product' ? restore.levels?.find((l) => l.variantId === null)?.level : undefined;
  try {
    await client.catalog.products.update(restore.productId, {
      inventory_tracking: restore.mode,
      ...(productLevel !== undefined ? { inventory_level: productLevel } : {}),
    });
  } catch (error) {
    // A product deleted in BigCommerce has nothing left to hand back.
    if (error instanceof NotFoundError) return;
    throw error;
  }
  if (restore.mode === 'variant' && restore.levels) {
    const variants = restore.levels.flatMap((l) => (l.variantId === null ? [] : [{ id: l.variantId, inventory_level: l.level }]));
    await client.catalog.variants.updateInChunks(variants);
  }
}

/** The store's catalog, page by page, as the catalog sync reads it: 250 products a request, variants included. */
export function catalogSourceOf(client: BigCommerceClient): CatalogSource {
  return {
    async productCount() {
      const page = await client.catalog.products.list({ limit: 1, include_fields: ['id'] });
      return page.pagination?.total ?? page.data.length;
    },
    products: () => client.catalog.products.pages({ include: ['variants'], include_fields: PRODUCT_FIELDS }),
    categories: () => client.catalog.categories.pages({ include_fields: ['id', 'parent_id', 'name', 'is_visible'] }),
    brands: () => client.catalog.brands.pages({ include_fields: ['id', 'name'] }),
  };
}

function connection(context: PortsContext, client: BigCommerceClient, distDir: string, rateLimitState: RedisRateLimitState): StoreConnection {
  const { config } = context;
  const requestRate = async () => {
    const window = await rateLimitState.read(client.storeHash);
    return window && window.quota > 0 && window.windowMs > 0 ? window.quota / (window.windowMs / 1000) : undefined;
  };
  return {
    ...assignmentCalls(client, requestRate),
    storeInformation: () => readStoreProfile(client),
    async reconcileWebhooks() {
      const key = required(config.encryptionKey, 'ENCRYPTION_KEY');
      const report = await reconcileWebhooks(client, desiredWebhooks(config.appUrl, client.storeHash, key));
      return { ...summary(report), secretKeyId: webhookSecretKeyId(key) };
    },
    async reconcileScripts(selectors) {
      const bundle = await readStorefrontBundle(distDir);
      return summary(await registerScripts(client, { appUrl: config.appUrl, bundle, ...(selectors ? { selectors } : {}) }));
    },
    catalog: catalogSourceOf(client),
    restoreTracking: (restore) => restoreTracking(client, restore),
  };
}

/** The ports over the real client; `storefrontDistDir` is where the built scripts are read from. */
export function bigCommercePorts(context: PortsContext, options: { storefrontDistDir?: string } = {}): BigCommercePorts {
  const { config } = context;
  const clientId = () => required(config.clientId, 'CLIENT_ID');
  const clientSecret = () => required(config.clientSecret, 'CLIENT_SECRET');
  const rateLimitState = new RedisRateLimitState(context.redis, config.queuePrefix);
  const clientOf = async (storeHash: string, extra: Pick<BigCommerceClientOptions, 'timeoutMs' | 'retry'> = {}) =>
    createBigCommerceClient({
      storeHash,
      accessToken: await context.accessTokenFor(storeHash),
      apiUrl: config.bigcommerce.apiUrl,
      rateLimitState,
      logger: context.logger,
      ...extra,
    });
  return {
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
      // One request, no waiting and no retry: a caller that cannot tell now asks again later.
      const client = await clientOf(storeHash, { timeoutMs: TOKEN_CHECK_TIMEOUT_MS, retry: { serverAttempts: 1, rateLimitAttempts: 1, maxWaitMs: 0 } });
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
    async connect(storeHash) {
      const client = await clientOf(storeHash);
      return connection(context, client, options.storefrontDistDir ?? STOREFRONT_DIST_DIR, rateLimitState);
    },
  };
}
