/**
 * What the app asks of BigCommerce, in the app's words: the gateway (`gateway.ts`) answers the calls that
 * need no store, and `connect(storeHash)` hands out a connection to one installed store
 * (`store-connection.ts`). Everything outside `server/bigcommerce/` sees BigCommerce through these types
 * only; tests swap the whole gateway (`start({ gateway })`).
 */
import type { AuthCallbackQuery } from './oauth.ts';
import type { CallPriority } from './rate-limit.ts';
import type { CatalogBrand, CatalogCategory, CatalogProduct } from './catalog.types.ts';
import type { DesiredWebhooks, WebhookReconcileReport } from './register-webhooks.ts';
import type { ScriptReconcileReport } from './register-scripts.ts';
import type { ScriptFields } from './scripts.ts';

export type { AuthCallbackQuery };

/** A person BigCommerce names in a grant or a signed payload. */
export interface BigCommerceUser {
  id: number;
  email: string;
  username?: string;
  locale?: string;
}

/** The token response of the code exchange. */
export interface InstallGrant {
  accessToken: string;
  scope: string;
  /** Who installed the app. */
  user: BigCommerceUser;
  owner: BigCommerceUser;
  /** `stores/{store_hash}`. */
  context: string;
  accountUuid?: string;
}

/** A verified `signed_payload_jwt` (load, uninstall, remove_user), or why it was refused. */
export type SignedPayloadCheck =
  | {
      ok: true;
      storeHash: string;
      user: BigCommerceUser;
      owner: BigCommerceUser;
      url?: string;
      /** The payload's unique id: the app accepts each payload once. */
      jti: string;
      /** `iat` and `exp`, unix seconds (BigCommerce's clock). */
      issuedAt: number;
      expiresAt: number;
    }
  | { ok: false; reason: string };

/**
 * Does a store's access token still work? `revoked` only when BigCommerce answered 401 (an uninstall
 * revokes the token); `unknown` when it could not tell (unreachable, overloaded, out of budget).
 */
export type TokenStatus = 'works' | 'revoked' | 'unknown';

/** What the app keeps of a store's own profile (`/v2/store` and `/v3/settings/inventory`). */
export interface StoreProfile {
  storeId: number | null;
  name: string;
  domain: string;
  secureUrl: string;
  controlPanelUrl: string;
  /** IANA name, e.g. `Europe/Paris`; one Node does not know reads as `fixedTimezone`. */
  timezone: string;
  /**
   * The zone of BigCommerce's standard-time offset (`Etc/GMT-14` for UTC+14; `UTC` for an offset of hours
   * and minutes, which has none): what the store's days are read in where `timezone` is not known.
   */
  fixedTimezone: string;
  /** BigCommerce's storefront stock display setting. */
  stockLevelDisplay: 'dont_show' | 'show' | 'show_when_low';
  /** How the store moves levels, and whether native backorders are on. */
  inventory: InventoryBehaviour;
}

/** A store's catalog, page by page (up to 250 a page, products with their variants). */
export interface CatalogSource {
  /** How many products the store has (for the progress bar). */
  productCount(): Promise<number>;
  /** In id order; `afterId` starts after that product (a sync resuming where it stopped). */
  products(afterId?: number): AsyncIterable<CatalogProduct[]>;
  categories(): AsyncIterable<CatalogCategory[]>;
  brands(): AsyncIterable<CatalogBrand[]>;
}

/** Hands a product back to BigCommerce's inventory tracking. */
export interface TrackingRestore {
  productId: number;
  mode: 'product' | 'variant';
  /**
   * Levels to write with it (current stock, never below 0): one entry with variantId null for a product
   * tracked by product, one per variant otherwise. Absent: leave BigCommerce's levels as they are.
   */
  levels?: Array<{ variantId: number | null; level: number }>;
}

/** Hands a product back on unassign: tracking restored (with levels, unless left as they are), and/or not purchasable. */
export interface ProductHandBack {
  productId: number;
  /** Tracking to restore; absent: leave tracking off. */
  tracking?: TrackingRestore;
  /** Make the product not purchasable (availability `disabled`). */
  notPurchasable?: boolean;
  /** Variants the app had disabled when selling stopped: purchasable again. */
  enableVariants?: number[];
}

/** What a batch write found: the products BigCommerce no longer has (deleted there). */
export interface BatchOutcome {
  missing: number[];
}

/** One line of an order, as the stock engine counts it. */
export interface OrderSnapshotLine {
  /** BigCommerce's order product id: the line's stable id. */
  orderProductId: number;
  productId: number;
  /** The v3 variant id; null for custom products. */
  variantId: number | null;
  sku: string;
  name: string;
  quantity: number;
  quantityRefunded: number;
  quantityShipped: number;
  /** Native backorders (beta): the line's units BigCommerce sold beyond on hand when it last took them; absent 0. */
  quantityBackordered?: number;
}

/** An order as the stock engine needs it. Statuses are BigCommerce's ids (reference §5.4). */
export interface OrderSnapshot {
  id: number;
  statusId: number;
  createdAt: Date;
  /**
   * The snapshot's version, to tell a late read of the order from a newer one: when BigCommerce last modified
   * it (`date_modified`, to the second), then when the app's read of it began (the app's clock; a shared
   * read's, for its sharers). Of two reads of one `modifiedAt`, the one begun later is at least as new.
   */
  modifiedAt: Date;
  readAt: Date;
  /** BigCommerce archived it (`DELETE /v2/orders/{id}`): it reads `is_deleted: true`. */
  archived?: boolean;
  /** Its product lines (gift certificates hold no stock and are left out). */
  lines: OrderSnapshotLine[];
}

/** The order fields a note may be written into. */
export type OrderNoteField = 'staff_notes' | 'customer_message';

/** Whether a product can be bought, and which of its variants have purchasing disabled. */
export interface ProductPurchasing {
  availability: 'available' | 'disabled' | 'preorder';
  isPriceHidden: boolean;
  variants: Array<{ id: number; purchasingDisabled: boolean }>;
}

/** Stop (`disabled`, with the shopper's message) or resume selling one variant. */
export interface PurchasingChange {
  variantId: number;
  disabled: boolean;
  message: string;
}

/** Units to move one level by: a product's (`variantId` null: tracked by product, or without options) or a variant's. */
export interface LevelAdjustment {
  productId: number;
  variantId: number | null;
  units: number;
  /** Native backorders: units to move the item's qty backordered by beside its level; absent 0. */
  backordered?: number;
}

/** A native backorder limit to write on one item (`variantId` null: a product's); `limit` null: unlimited. */
export interface BackorderLimitWrite {
  productId: number;
  variantId: number | null;
  limit: number | null;
}

/** One item's native backorders as BigCommerce reports them: its limit (0 none, null unlimited) and its units backordered. */
export interface NativeBackorders {
  limit: number | null;
  backordered: number;
}

/** How the store's BigCommerce moves levels (`/v3/settings/inventory`), as strict limit mode depends on it. */
export interface InventoryBehaviour {
  /** `update_stock_behavior` is `order_placed`: an order takes its units from the level when it is placed. */
  ordersMoveLevelWhenPlaced: boolean;
  /** `refund_order_stock_adjustment`: a cancelled or refunded order gives its units back to the level. */
  cancelsReturnUnits: boolean;
  /** `edit_order_stock_adjustment`: an order edited (a line's quantity changed, a line added or removed) moves the level by the difference. */
  editsMoveLevel: boolean;
  /** BigCommerce's native backorders (beta) are on for the store. */
  nativeBackorders: boolean;
}

/** An order in the listing of those changed since a moment: its id and its last change (`date_modified`). */
export interface ChangedOrder {
  id: number;
  modifiedAt: Date;
}

/** Calls against one installed store. Its token stays inside. */
export interface StoreConnection {
  readonly storeHash: string;
  storeProfile(): Promise<StoreProfile>;

  /** Makes the store's webhooks match `desired` (create, update, reactivate, delete leftovers). */
  registerWebhooks(desired: DesiredWebhooks): Promise<WebhookReconcileReport>;
  /** Makes the store's Script Manager scripts match `scripts` (by name; leftovers deleted). */
  registerScripts(scripts: readonly ScriptFields[]): Promise<ScriptReconcileReport>;

  catalog: CatalogSource;
  /** The product with its variants as BigCommerce has it now (read together with the store's other reads of the moment); undefined when it was deleted. */
  product(productId: number): Promise<CatalogProduct | undefined>;
  /** The given products with their variants, 250 a request, page by page; deleted ones are absent. */
  productPages(productIds: readonly number[]): AsyncIterable<CatalogProduct[]>;
  /** The same, all pages at once. */
  productsByIds(productIds: readonly number[]): Promise<CatalogProduct[]>;

  /** Turns inventory tracking off on at most 10 products (BigCommerce's batch size), in one request when it can. */
  takeOverTracking(productIds: readonly number[]): Promise<BatchOutcome>;
  /** Hands at most 10 products back (unassign). */
  handBack(products: readonly ProductHandBack[]): Promise<BatchOutcome>;
  /** Done (without error) when BigCommerce no longer has the product. */
  restoreTracking(restore: TrackingRestore): Promise<void>;

  /** Moves levels relatively (strict limit mode): composes with the orders BigCommerce takes meanwhile. */
  adjustLevels(adjustments: readonly LevelAdjustment[]): Promise<void>;
  /** How the store moves levels, and whether native backorders are on. */
  inventoryBehaviour(): Promise<InventoryBehaviour>;
  /** Native backorders of the products' items, by `p<product id>` and `v<variant id>` (a product's key: its largest limit). */
  nativeBackorders(productIds: readonly number[]): Promise<Map<string, NativeBackorders>>;
  /** Writes native backorder limits (strict mode on native backorders), 2,000 items a request. */
  writeBackorderLimits(limits: readonly BackorderLimitWrite[]): Promise<void>;

  /** The product's purchasability and its variants; undefined when it was deleted. */
  purchasing(productId: number): Promise<ProductPurchasing | undefined>;
  /** Stops or resumes selling variants (`purchasing_disabled`), 50 a request. */
  setPurchasing(changes: readonly PurchasingChange[]): Promise<void>;

  /** The order now, with its lines; undefined when BigCommerce no longer has it. */
  order(orderId: number): Promise<OrderSnapshot | undefined>;
  /** The orders created or changed since `since`, oldest change first. */
  ordersChangedSince(since: Date): AsyncIterable<ChangedOrder>;
  /** The text of one of the order's note fields (`''` when empty). */
  orderNote(orderId: number, field: OrderNoteField): Promise<string>;
  writeOrderNote(orderId: number, field: OrderNoteField, text: string): Promise<void>;

  /** Requests a second the store's API quota allows, as BigCommerce last reported it; undefined when not known yet. */
  requestRate(): Promise<number | undefined>;
}

/** How often a subscription bills; the app offers monthly and annual prices. */
export type BillingInterval = 'MONTH' | 'QUARTER' | 'SEMIANNUAL' | 'ANNUAL' | 'ONCE';

/** A Unified Billing checkout to create: a new subscription, or (with `subscriptionId`) a change of one. */
export interface CheckoutRequest {
  /** The merchant's account UUID (`account_uuid` of `/v2/store`). */
  accountUuid: string;
  storeHash: string;
  productLevel: string;
  interval: 'MONTH' | 'ANNUAL';
  priceCents: number;
  description: string;
  /** Where BigCommerce sends the merchant back after accepting or leaving. */
  redirectUrl: string;
  subscriptionId?: string;
}

/** A checkout as BigCommerce reports it (`status` PENDING, then COMPLETE with the subscription's id). */
export interface BillingCheckout {
  id: string;
  status: string;
  checkoutUrl: string;
  subscriptionId: string | null;
}

/** A subscription as BigCommerce reports it. `status` ACTIVE is what grants a plan. */
export interface BillingSubscription {
  id: string;
  status: string;
  productLevel: string | null;
  interval: BillingInterval;
  priceCents: number;
  activationDate: Date | null;
  currentPeriodEnd: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Unified Billing: the partner account's checkouts and subscriptions (GraphQL Account API). */
export interface UnifiedBilling {
  /** The app's id in the Developer Portal (its product id is `bc/account/product/{appId}`). */
  readonly appId: string;
  createCheckout(request: CheckoutRequest): Promise<BillingCheckout>;
  /** undefined when BigCommerce knows no such checkout. */
  checkout(checkoutId: string): Promise<BillingCheckout | undefined>;
  /** Every subscription of the app for the store, whatever its status. */
  subscriptions(storeHash: string): Promise<BillingSubscription[]>;
  /** Ends a paid subscription at the end of its period (`cancelledAt`: the last paid day). */
  cancelSubscription(subscriptionId: string): Promise<{ subscriptionId: string; cancelledAt: Date | null }>;
}

/** The one door to BigCommerce. */
export interface BigCommerceGateway {
  /** Unified Billing, when the partner account is configured; undefined: plans change without charge. */
  readonly billing?: UnifiedBilling | undefined;
  /** Exchanges the `/auth` code for the store's token; a code works once. */
  exchangeCode(query: AuthCallbackQuery): Promise<InstallGrant>;
  /** HS256 with the client secret; checks aud, iss, sub and expiry. */
  verifySignedPayload(jwt: string): Promise<SignedPayloadCheck>;
  /** Asks BigCommerce, with one cheap authenticated call, whether the installed store's token still works. */
  tokenStatus(storeHash: string): Promise<TokenStatus>;
  /**
   * A connection to an installed store; throws StoreNotConnectedError when it is not installed (or
   * uninstalled). Work that can wait (order notes, catalog syncs, reconciliation) connects as `background`:
   * its calls leave the last fifth of each API window to the calls that keep stock and selling right.
   */
  connect(storeHash: string, options?: { priority?: CallPriority }): Promise<StoreConnection>;
  /**
   * Call once the store's token changed (installed again, uninstalled): every process reads it afresh rather
   * than use the one it keeps (token-cache.ts). Never throws.
   */
  forgetToken(storeHash: string): Promise<void>;
}
