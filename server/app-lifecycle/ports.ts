/**
 * The seams between the app's lifecycle, admin and jobs and BigCommerce itself. Everything here is what
 * the app asks of BigCommerce, in the app's words; `server/bigcommerce/` (the only code that talks HTTP to
 * BigCommerce) answers it, through `bigcommerce-ports.ts`. `createBigCommercePorts` is the one
 * composition point: it receives a way to get a store's decrypted token and returns the ports;
 * `start({ ports })` lets tests pass fakes instead.
 */
import type { Config } from '../config.ts';
import type { LoaderSelectors } from '../settings/loader-selectors.ts';
import type { Availability, TrackingMode } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { bigCommercePorts } from './bigcommerce-ports.ts';

/** What BigCommerce's `/auth` callback carries (reference §1.2). */
export interface AuthCallbackQuery {
  code: string;
  /** Space-separated scopes. */
  scope: string;
  /** `stores/{store_hash}`. */
  context: string;
}

export interface BcUser {
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
  user: BcUser;
  owner: BcUser;
  /** `stores/{store_hash}`. */
  context: string;
  accountUuid?: string;
}

/** A verified `signed_payload_jwt` (load, uninstall, remove_user), or why it was refused. */
export type SignedPayloadCheck =
  | {
      ok: true;
      storeHash: string;
      user: BcUser;
      owner: BcUser;
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

/** From `/v2/store`. */
export interface StoreInformation {
  storeId: number | null;
  name: string;
  domain: string;
  secureUrl: string;
  controlPanelUrl: string;
  /** IANA name, e.g. `Europe/Paris`. */
  timezone: string;
  /** BigCommerce's storefront stock display setting (`/v3/settings/inventory`). */
  stockLevelDisplay: 'dont_show' | 'show' | 'show_when_low';
}

/** What a registration reconciliation changed. */
export interface ReconcileSummary {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** Catalog shapes as BigCommerce sends them (reference §3), the fields the mirror keeps. */
export interface BcVariant {
  id: number;
  product_id: number;
  sku: string;
  option_values: Array<{ id: number; option_id: number; label: string; option_display_name: string }>;
  inventory_level: number | null;
  purchasing_disabled: boolean;
}

export interface BcProduct {
  id: number;
  name: string;
  sku: string;
  is_visible: boolean;
  availability: Availability;
  inventory_tracking: TrackingMode;
  inventory_level: number;
  categories: number[];
  /** 0 when the product has no brand. */
  brand_id: number;
  /** ISO 8601. */
  date_modified: string;
  /** Present when listed with `include=variants`. */
  variants?: BcVariant[];
}

export interface BcCategory {
  id: number;
  parent_id: number;
  name: string;
  is_visible: boolean;
}

export interface BcBrand {
  id: number;
  name: string;
}

/** A store's catalog, page by page (up to 250 a page, products with `include=variants`). */
export interface CatalogSource {
  /** How many products the store has (for the progress bar). */
  productCount(): Promise<number>;
  products(): AsyncIterable<BcProduct[]>;
  categories(): AsyncIterable<BcCategory[]>;
  brands(): AsyncIterable<BcBrand[]>;
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

/** Calls against one installed store. */
export interface StoreConnection {
  storeInformation(): Promise<StoreInformation>;
  /**
   * Makes the store's webhooks match what the app needs (create, update, reactivate, delete leftovers);
   * says which key's secret the hooks now carry.
   */
  reconcileWebhooks(): Promise<ReconcileSummary & { secretKeyId: string }>;
  /** Makes the store's Script Manager scripts match the built storefront bundles and the store's loader selectors. */
  reconcileScripts(selectors?: LoaderSelectors): Promise<ReconcileSummary>;
  catalog: CatalogSource;
  /** Done (without error) when BigCommerce no longer has the product. */
  restoreTracking(restore: TrackingRestore): Promise<void>;
  /** The products with their variants as BigCommerce has them now (250 a request); deleted ones are absent. */
  productsByIds(productIds: readonly number[]): Promise<BcProduct[]>;
  /** Turns inventory tracking off on at most 10 products (BigCommerce's batch size), in one request when it can. */
  takeOverTracking(productIds: readonly number[]): Promise<BatchOutcome>;
  /** Hands at most 10 products back (unassign). */
  handBack(products: readonly ProductHandBack[]): Promise<BatchOutcome>;
  /** Requests a second the store's API quota allows, as BigCommerce last reported it; undefined when not known yet. */
  requestRate(): Promise<number | undefined>;
}

/** BigCommerce's batch size for product writes. */
export const PRODUCTS_PER_BATCH = 10;

export interface BigCommercePorts {
  /** Exchanges the `/auth` code for the store's token; a code works once. */
  exchangeCode(query: AuthCallbackQuery): Promise<InstallGrant>;
  /** HS256 with the client secret; checks aud, iss, sub and expiry. */
  verifySignedPayload(jwt: string): Promise<SignedPayloadCheck>;
  /** A connection to an installed store; its token is fetched (decrypted) through `accessTokenFor`. */
  connect(storeHash: string): Promise<StoreConnection>;
  /** Asks BigCommerce, with one cheap authenticated call, whether the installed store's token still works. */
  tokenStatus(storeHash: string): Promise<TokenStatus>;
}

export interface PortsContext {
  config: Config & { appUrl: string };
  /** The store's decrypted access token; throws when the store is not installed. Never log it. */
  accessTokenFor(storeHash: string): Promise<string>;
  redis: Redis;
  logger: Logger;
}

export type PortsFactory = (context: PortsContext) => BigCommercePorts;

/** The composition point: the ports over the real BigCommerce client (or the sandbox store, by URL). */
export const createBigCommercePorts: PortsFactory = (context) => bigCommercePorts(context);
