/**
 * The sandbox store: a local stand-in for BigCommerce (REST subset, OAuth, signed callbacks, webhook
 * delivery) on its own HTTP port, and a Cornerstone-shaped demo storefront per store on a port of its own.
 * The app reaches it only over HTTP, through BC_API_URL / BC_LOGIN_URL.
 * Production code never imports this folder. Facts: ../shared/reference/bigcommerce-api.md ("ref §n").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BillingBook, newBillingState, type BillingScope } from './billing.ts';
import { emptyState, SandboxCore } from './core.ts';
import { AppDriver, type CallResult, type UserRef } from './driver.ts';
import { loadState } from './persistence.ts';
import type { RateLimitOptions } from './rate-limit.ts';
import { createSandboxApp } from './server.ts';
import type { SignedPayloadOptions } from './signed-payload.ts';
import { SandboxStore } from './store-control.ts';
import { StorefrontServers } from './storefront/servers.ts';
import type { Switches } from './switches.ts';
import type { Delivery } from './webhooks.ts';

export type { Delivery, SandboxStore, SignedPayloadOptions, Switches, UserRef };
export { DEFAULT_SWITCHES } from './switches.ts';
export { RETRY_SCHEDULE_S } from './webhooks.ts';
export { ALL_SCOPES } from './scopes.ts';

export interface SandboxOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The app's OAuth client: tokens, signed payloads and webhook signatures use it. */
  clientId: string;
  clientSecret: string;
  /** The app's base URL: /auth, /load, /uninstall, /remove_user are called there. Settable later. */
  appUrl?: string;
  /** Per-store quota (ref §2.5); quota 0 = unlimited. Default 150 per 30 s. */
  rateLimit?: RateLimitOptions;
  /** Multiplies the webhook retry schedule (1 = real time). Default 1. */
  webhookTimeScale?: number;
  /** Persist the state here (JSON) and restore it on start. */
  stateFile?: string;
  /** The catalog new stores get. Default `demo`. */
  seed?: 'demo' | 'empty';
  /** Switch values new stores start with (defaults: DEFAULT_SWITCHES). */
  switches?: Partial<Switches>;
}

export interface Sandbox {
  /** Base URL; the API and login URLs are the same. */
  url: string;
  apiUrl: string;
  loginUrl: string;
  /** Creates a store and starts its demo storefront. */
  createStore(options?: { storeHash?: string; name?: string; seed?: 'demo' | 'empty' }): Promise<{ storeHash: string; storeId: string; storefrontUrl: string }>;
  /** The store's demo storefront (`http://host:port`, its own origin), as `/v2/store` `secure_url` reads. */
  storefrontUrl(storeHash: string): string;
  /** A token for the store (default: every scope, the app's client id). */
  issueAccessToken(storeHash: string, scopes?: string[], clientId?: string): Promise<string>;
  stop(): Promise<void>;
  /** The control surface of one store. */
  store(storeHash: string): SandboxStore;
  stores(): Array<{ storeHash: string; storeId: string; name: string; storefrontUrl: string }>;
  setAppUrl(url: string): void;
  setRateLimit(options: RateLimitOptions): void;
  /** Issues a one-time code; returns the app's /auth URL (and opens it with `call: true`). */
  install(storeHash: string, options?: { scopes?: string[]; user?: UserRef; call?: boolean }): Promise<CallResult & { code: string }>;
  signedPayload(storeHash: string, user?: UserRef, options?: SignedPayloadOptions): string;
  loadUrl(storeHash: string, user?: UserRef, options?: SignedPayloadOptions): string;
  uninstall(storeHash: string, options?: { call?: boolean; storeCancelled?: boolean }): Promise<CallResult>;
  removeUser(storeHash: string, user: UserRef, options?: { call?: boolean }): Promise<CallResult>;
  /** Every delivery attempt so far, all stores. */
  deliveries(): Delivery[];
  /** Sends held batches and waits for deliveries in flight (not for scheduled retries). */
  webhooksIdle(): Promise<void>;
  /** Writes the state file now. */
  save(): Promise<void>;
  /** Unified Billing: the partner account owning the app, its token, and the book of checkouts and subscriptions. */
  billing: {
    /** What the app's BC_PARTNER_ACCOUNT_UUID, BC_ACCOUNT_API_TOKEN and BC_APP_ID are set to. */
    config(): { partnerAccountUuid: string; accountApiToken: string; appId: string };
    /** Another account-level token (another account, fewer scopes) to see the documented refusals. */
    issueToken(options?: { accountUuid?: string; scopes?: BillingScope[] }): string;
    book: BillingBook;
  };
}

/** Starts the sandbox on its own port, restoring `stateFile` when it exists. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const state = (options.stateFile ? await loadState(options.stateFile) : undefined) ?? emptyState();
  const core = new SandboxCore(
    {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      appUrl: options.appUrl,
      rateLimit: options.rateLimit ?? { quota: 150, windowMs: 30_000 },
      webhookTimeScale: options.webhookTimeScale ?? 1,
      stateFile: options.stateFile,
      seed: options.seed ?? 'demo',
      switches: options.switches ?? {},
    },
    state,
  );
  const driver = new AppDriver(core);
  const handles = new Map<string, SandboxStore>();
  const store = (storeHash: string): SandboxStore => {
    const context = core.context(storeHash);
    let handle = handles.get(storeHash);
    if (!handle || handle.context !== context) handles.set(storeHash, (handle = new SandboxStore(core, context)));
    return handle;
  };
  const host = options.host ?? '127.0.0.1';
  const storefronts = new StorefrontServers(core, host);
  core.storefrontUrl = (hash) => storefronts.url(hash) ?? '';
  const createStore = async (o: { storeHash?: string; name?: string; seed?: 'demo' | 'empty' } = {}) => {
    const context = core.createStore(o);
    const storefrontUrl = await storefronts.open(context.state.hash);
    return { storeHash: context.state.hash, storeId: context.state.id, storefrontUrl };
  };

  core.state.billing ??= newBillingState();
  const billing = new BillingBook(
    core.state.billing,
    (hash) => core.contexts.get(hash)?.state.account_uuid,
    (hash) => `${core.url}/__sandbox/stores/${hash}`,
    () => core.saver.changed(),
  );
  const server: Server = createServer(createSandboxApp({ core, driver, store, createStore, billing }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  core.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  for (const restored of core.state.stores) await storefronts.open(restored.hash);

  return {
    url: core.url,
    apiUrl: core.url,
    loginUrl: core.url,
    createStore,
    storefrontUrl: (storeHash) => {
      core.context(storeHash);
      return core.storefrontUrl(storeHash);
    },
    issueAccessToken: async (storeHash, scopes, clientId) => core.issueToken(storeHash, scopes, clientId).token,
    store,
    stores: () => core.state.stores.map((s) => ({ storeHash: s.hash, storeId: s.id, name: s.name, storefrontUrl: core.storefrontUrl(s.hash) })),
    setAppUrl: (url) => {
      core.appUrl = url.replace(/\/+$/, '');
    },
    setRateLimit: (limit) => {
      core.rateLimiter.options = { ...limit };
      core.rateLimiter.reset();
    },
    install: (storeHash, o) => driver.install(storeHash, o),
    signedPayload: (storeHash, user, o) => driver.signedPayload(storeHash, user, o),
    loadUrl: (storeHash, user, o) => driver.loadUrl(storeHash, user, o),
    uninstall: (storeHash, o) => driver.uninstall(storeHash, o),
    removeUser: (storeHash, user, o) => driver.removeUser(storeHash, user, o),
    billing: {
      config: () => ({ partnerAccountUuid: billing.state.partnerAccountUuid, accountApiToken: billing.state.tokens[0]!.token, appId: billing.state.appId }),
      issueToken: (o) => billing.issueToken(o).token,
      book: billing,
    },
    deliveries: () => core.dispatcher.deliveries(),
    webhooksIdle: () => core.dispatcher.idle(),
    save: () => {
      core.saver.changed();
      return core.saver.flush();
    },
    async stop() {
      await storefronts.closeAll();
      await core.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
