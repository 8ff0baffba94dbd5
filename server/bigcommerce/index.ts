/** The only door to BigCommerce: the client, its errors, OAuth, callback and webhook verification, registration. */
export { createBigCommerceClient, type BigCommerceClient, type BigCommerceClientOptions } from './client.ts';
export {
  BatchTooLargeError,
  BigCommerceError,
  ConflictError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  PartialSuccessError,
  PayloadTooLargeError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
  ValidationError,
} from './errors.ts';
export { MemoryRateLimitState, processRateLimitState, type RateLimitState, type RateLimitWindow } from './rate-limit.ts';
export { RedisRateLimitState } from './redis-rate-limit-state.ts';
export { DEFAULT_RETRY_POLICY, type BigCommerceResponse, type Requester, type RequestOptions, type RetryPolicy } from './request.ts';
export { MAX_PAGE_SIZE, type Listing, type Page, type Pagination, type V2Listing } from './paginate.ts';
export { formatRfc2822, parseBigCommerceDate } from './dates.ts';
export { PRODUCT_BATCH_LIMIT, VARIANT_BATCH_LIMIT, type CatalogApi, type ProductsApi, type VariantsApi } from './catalog.ts';
export type * from './catalog.types.ts';
export { ORDER_STATUS_NAMES, type Order, type OrderProduct, type OrderQuery, type OrderStatusId, type OrderUpdate, type OrdersApi } from './orders.ts';
export type { Hook, HookCreate, HookQuery, HookUpdate, HooksApi } from './hooks.ts';
export type { Script, ScriptFields, ScriptQuery, ScriptUpdate, ScriptsApi } from './scripts.ts';
export type { InventoryApi, InventoryItem, InventoryItemQuery, InventoryLocation, StoreApi, StoreInformation } from './store.ts';
export type { Resource } from './resource.ts';
export { exchangeCode, storeHashFromContext, type AuthCallbackQuery, type ExchangeCodeOptions, type OAuthToken } from './oauth.ts';
export {
  signPayload,
  verifySignedPayload,
  type SignedPayloadClaims,
  type SignedPayloadFailure,
  type SignedPayloadResult,
  type VerifySignedPayloadOptions,
} from './signed-payload.ts';
export {
  WEBHOOK_SECRET_HEADER,
  legacyWebhookSecretFor,
  signWebhook,
  standardWebhooksKey,
  verifyWebhook,
  webhookHeadersFor,
  webhookSecretFor,
  webhookSecretKeyId,
  type VerifyWebhookOptions,
  type WebhookFailure,
  type WebhookVerification,
} from './webhook-verification.ts';
export { reconcileWebhooks, type DesiredWebhooks, type WebhookReconcileReport } from './register-webhooks.ts';
export { reconcileScripts, type DesiredScripts, type ScriptReconcileReport } from './register-scripts.ts';
