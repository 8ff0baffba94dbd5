/**
 * What the app registers in each store, and the reconciliation that makes the store match: the webhooks
 * it listens to (delivered to APP_URL with the store's secret header) and the Script Manager scripts that
 * bring the storefront components (re-registered whenever the built bundle changes, since its version
 * and integrity hashes are part of what is wanted). Each registration records on the store what it
 * registered: which key's secret the hooks carry, which scripts version the store has.
 */
import { createHash } from 'node:crypto';
import {
  APP_UNINSTALLED_SCOPE,
  CATALOG_SCOPES,
  INVENTORY_SCOPES,
  VARIANT_UPDATED_SCOPE,
  ORDER_SCOPES,
  webhookHeadersFor,
  webhookSecretKeyId,
  type DesiredWebhooks,
  type ScriptFields,
  type ScriptReconcileReport,
  type StoreConnection,
  type WebhookReconcileReport,
} from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { KeyedLock } from '../db/keyed-lock.ts';
import { encodeLoaderSelectors, loaderSelectorsOf, type LoaderSelectors } from '../settings/loader-selectors.ts';
import { getSettings } from '../settings/settings.service.ts';
import { SELECTORS_PARAM, STORE_PARAM } from '../../storefront/src/contract/script-url.ts';
import { recordWebhookSecretId } from './webhook-secrets.ts';

/** Where BigCommerce delivers the store's events (`webhooks/webhooks.routes.ts` receives them there). */
export const WEBHOOK_PATH = '/webhooks/bigcommerce';

/** Every scope the app handles: the webhooks worker has a handler for each (a test holds the two together). */
export const WEBHOOK_SCOPES: readonly string[] = [...ORDER_SCOPES, ...INVENTORY_SCOPES, VARIANT_UPDATED_SCOPE, ...CATALOG_SCOPES, APP_UNINSTALLED_SCOPE];

/** A built storefront script: where it is served and its Subresource Integrity hash. */
export interface BuiltScript {
  /** Path below the app URL, e.g. `/storefront/loader.js`. */
  path: string;
  /** Changes whenever the file changes. */
  version: string;
  /** e.g. `sha384-…` */
  integrity: string;
}

export interface StorefrontBundle {
  loader: BuiltScript;
  checkout: BuiltScript;
}

export const SCRIPT_NAMES = {
  storefront: 'BackOrder storefront',
  checkout: 'BackOrder checkout',
  orderConfirmation: 'BackOrder order confirmation',
} as const;

function scriptUrl(appUrl: string, script: BuiltScript, storeHash: string): string {
  return `${appUrl}${script.path}?${STORE_PARAM}=${encodeURIComponent(storeHash)}&v=${script.version}`;
}

/**
 * The scripts a store should have: the loader on storefront pages (with a Custom profile's selectors in its
 * URL, see loader-selectors.ts); the checkout script on checkout and order confirmation.
 */
export function desiredScripts(appUrl: string, storeHash: string, bundle: StorefrontBundle, selectors?: LoaderSelectors): ScriptFields[] {
  const common = { kind: 'src', load_method: 'defer', location: 'footer', auto_uninstall: true, consent_category: 'essential', enabled: true } as const;
  const checkout = { ...common, src: scriptUrl(appUrl, bundle.checkout, storeHash), integrity_hashes: [bundle.checkout.integrity] };
  return [
    {
      ...common,
      name: SCRIPT_NAMES.storefront,
      description: 'Shows backorder messages on product, cart and listing pages.',
      src: scriptUrl(appUrl, bundle.loader, storeHash) + (selectors ? `&${SELECTORS_PARAM}=${encodeLoaderSelectors(selectors)}` : ''),
      visibility: 'storefront',
    },
    { ...checkout, name: SCRIPT_NAMES.checkout, description: 'Lists backordered items at checkout.', visibility: 'checkout' },
    {
      ...checkout,
      name: SCRIPT_NAMES.orderConfirmation,
      description: 'Lists backordered items on the order confirmation.',
      visibility: 'order_confirmation',
    },
  ];
}

/** One string that changes whenever a registered script's file does. */
export function bundleVersion(bundle: StorefrontBundle): string {
  return `${bundle.loader.version}.${bundle.checkout.version}`;
}

/**
 * What a store's registered scripts are, recorded in `stores.scripts_version`: the bundle's version, then
 * `+` and a hash of the loader selectors when there are some, so changing them re-registers the scripts.
 */
export function scriptsVersion(bundle: StorefrontBundle, selectors: LoaderSelectors | undefined): string {
  if (!selectors) return bundleVersion(bundle);
  return `${bundleVersion(bundle)}+${createHash('sha256').update(encodeLoaderSelectors(selectors)).digest('hex').slice(0, 12)}`;
}

/** The store's loader selectors, from its settings (a Custom profile's only). */
export async function selectorsOf(db: Db, storeHash: string): Promise<LoaderSelectors | undefined> {
  return loaderSelectorsOf((await getSettings(db, storeHash)).storefront);
}

export interface RegistrationOptions {
  appUrl: string;
  /** ENCRYPTION_KEY: the hooks' secret header is derived from it. */
  encryptionKey: Buffer;
  bundle: StorefrontBundle;
  /** Across processes: a store's script registrations take turns under it (see registerScripts). */
  lock: KeyedLock;
}

export interface RegistrationReport {
  webhooks: WebhookReconcileReport;
  scripts: ScriptReconcileReport;
}

/** The webhooks a store should have: every scope the app handles, to APP_URL, with the store's secret header. */
export function desiredWebhooks(appUrl: string, storeHash: string, encryptionKey: Buffer): DesiredWebhooks {
  return { scopes: WEBHOOK_SCOPES, destination: `${appUrl}${WEBHOOK_PATH}`, headers: webhookHeadersFor(storeHash, encryptionKey) };
}

/** Makes the store's webhooks match what the app handles, and records which key's secret they now carry. */
export async function registerWebhooks(
  db: Db,
  connection: Pick<StoreConnection, 'storeHash' | 'registerWebhooks'>,
  options: Pick<RegistrationOptions, 'appUrl' | 'encryptionKey'>,
): Promise<WebhookReconcileReport> {
  const report = await connection.registerWebhooks(desiredWebhooks(options.appUrl, connection.storeHash, options.encryptionKey));
  await recordWebhookSecretId(db, connection.storeHash, webhookSecretKeyId(options.encryptionKey));
  return report;
}

/**
 * Makes the store's Script Manager scripts match the bundle and the store's loader selectors, and records
 * the scripts version it registered (so the next start of the workers leaves the store alone).
 */
export async function registerScripts(
  db: Db,
  connection: Pick<StoreConnection, 'storeHash' | 'registerScripts'>,
  options: Pick<RegistrationOptions, 'appUrl' | 'bundle' | 'lock'>,
): Promise<ScriptReconcileReport> {
  const { storeHash } = connection;
  // One at a time per store: a registration lists the scripts, then creates those missing, and BigCommerce
  // takes a second script of the same name. The install's, a reconcile's and a new build's refresh (the
  // workers' first round reaches a store whose install is under way) would each create the same ones.
  return options.lock.run(`scripts:${storeHash}`, async () => {
    const selectors = await selectorsOf(db, storeHash);
    const report = await connection.registerScripts(desiredScripts(options.appUrl, storeHash, options.bundle, selectors));
    await db
      .updateTable('stores')
      .set({ scripts_version: scriptsVersion(options.bundle, selectors) })
      .where('store_hash', '=', storeHash)
      .execute();
    return report;
  });
}

/** Makes the store's webhooks and scripts match what the app wants now. */
export async function registerInStore(
  db: Db,
  connection: Pick<StoreConnection, 'storeHash' | 'registerWebhooks' | 'registerScripts'>,
  options: RegistrationOptions,
): Promise<RegistrationReport> {
  const webhooks = await registerWebhooks(db, connection, options);
  const scripts = await registerScripts(db, connection, options);
  return { webhooks, scripts };
}

/** How many of each a reconciliation report lists, for the logs. */
export function countsOf(report: { created: unknown[]; updated: unknown[]; deleted: unknown[]; unchanged: unknown[] }) {
  return { created: report.created.length, updated: report.updated.length, deleted: report.deleted.length, unchanged: report.unchanged.length };
}
