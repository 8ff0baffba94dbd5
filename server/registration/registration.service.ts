/**
 * What the app registers in each store, and the reconciliation that makes the store match: the webhooks
 * it listens to (delivered to APP_URL with the store's secret header) and the Script Manager scripts that
 * bring the storefront components (re-registered whenever the built bundle changes, since its version
 * and integrity hashes are part of what is wanted).
 */
import { createHash } from 'node:crypto';
import {
  reconcileScripts,
  reconcileWebhooks,
  webhookHeadersFor,
  type BigCommerceClient,
  type DesiredWebhooks,
  type ScriptFields,
  type ScriptReconcileReport,
  type WebhookReconcileReport,
} from '../bigcommerce/index.ts';
import { encodeLoaderSelectors, type LoaderSelectors } from '../settings/loader-selectors.ts';
import { SELECTORS_PARAM } from '../../storefront/src/contract/script-url.ts';
import { LEVEL_SCOPES, ORDER_SCOPES } from '../webhooks/handlers.ts';
import { WEBHOOK_PATH } from '../webhooks/webhooks.routes.ts';

export const WEBHOOK_SCOPES: readonly string[] = [
  ...ORDER_SCOPES,
  ...LEVEL_SCOPES,
  'store/product/updated',
  'store/product/deleted',
  'store/sku/created',
  'store/sku/deleted',
  'store/app/uninstalled',
];

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
  return `${appUrl}${script.path}?store=${encodeURIComponent(storeHash)}&v=${script.version}`;
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

/** Makes the store's Script Manager scripts match the bundle and the store's loader selectors. */
export async function registerScripts(
  client: BigCommerceClient,
  options: { appUrl: string; bundle: StorefrontBundle; selectors?: LoaderSelectors },
): Promise<ScriptReconcileReport> {
  return reconcileScripts(client, { scripts: desiredScripts(options.appUrl, client.storeHash, options.bundle, options.selectors) });
}

export interface RegistrationReport {
  webhooks: WebhookReconcileReport;
  scripts: ScriptReconcileReport;
}

/** The webhooks a store should have: every scope the app handles, to APP_URL, with the store's secret header. */
export function desiredWebhooks(appUrl: string, storeHash: string, encryptionKey: Buffer): DesiredWebhooks {
  return { scopes: WEBHOOK_SCOPES, destination: `${appUrl}${WEBHOOK_PATH}`, headers: webhookHeadersFor(storeHash, encryptionKey) };
}

/** Makes the store's webhooks and scripts match what the app wants now. */
export async function registerInStore(
  client: BigCommerceClient,
  options: { appUrl: string; encryptionKey: Buffer; bundle: StorefrontBundle; selectors?: LoaderSelectors },
): Promise<RegistrationReport> {
  const webhooks = await reconcileWebhooks(client, desiredWebhooks(options.appUrl, client.storeHash, options.encryptionKey));
  const scripts = await registerScripts(client, options);
  return { webhooks, scripts };
}
