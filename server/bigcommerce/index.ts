/**
 * The only door to BigCommerce, as the rest of the app sees it: the gateway and its connections (in the
 * app's words), the errors callers branch on, webhook verification, and the webhook events handlers receive.
 * The client, the request core and the rate-limit state are this folder's own: nothing outside it builds
 * a client (tests of the client import it from `client.ts`).
 */
export { BUDGET_WAIT_MS, createBigCommerceGateway, type GatewayContext, type GatewayFactory } from './gateway.ts';
export type * from './gateway.types.ts';
export { PRODUCT_FIELDS, type CatalogBrand, type CatalogCategory, type CatalogProduct, type CatalogVariant } from './catalog.types.ts';
export { PRODUCT_BATCH_LIMIT } from './catalog.ts';
export { UnifiedBillingError, type UnifiedBillingRefusal } from './account-api.ts';
export {
  BigCommerceError,
  ConflictError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  StoreNotConnectedError,
  UnauthorizedError,
  ValidationError,
} from './errors.ts';
export {
  WEBHOOK_SECRET_HEADER,
  legacyWebhookSecretFor,
  standardWebhooksKey,
  verifyWebhook,
  webhookHeadersFor,
  webhookSecretFor,
  webhookSecretKeyId,
  type WebhookFailure,
  type WebhookVerification,
} from './webhook-verification.ts';
export {
  APP_UNINSTALLED_SCOPE,
  CATALOG_SCOPES,
  INVENTORY_SCOPES,
  VARIANT_UPDATED_SCOPE,
  ORDER_SCOPES,
  numberAt,
  productIdOf,
  type EventHandler,
  type EventHandlers,
  type HandledEvent,
} from './webhook-events.ts';
export type { DesiredWebhooks, WebhookReconcileReport } from './register-webhooks.ts';
export type { ScriptReconcileReport } from './register-scripts.ts';
export type { ScriptFields } from './scripts.ts';
