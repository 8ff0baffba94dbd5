/**
 * The sandbox's shared core: every store's state and context, API clients and tokens, grant codes, the
 * rate limiter, the webhook dispatcher and persistence. The HTTP routes and the control surface use it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BcError } from './api-error.ts';
import { defaultInventorySettings, type SandboxState, type StoreState, type TokenRecord, type User } from './model.ts';
import { SaveScheduler } from './persistence.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { ALL_SCOPES } from './scopes.ts';
import { seedDemoCatalog } from './seed.ts';
import { StoreContext } from './store-context.ts';
import { DEFAULT_SWITCHES, validateSwitches, type Switches } from './switches.ts';
import { WebhookDispatcher } from './webhooks.ts';

export interface CoreOptions {
  clientId: string;
  clientSecret: string;
  appUrl?: string;
  rateLimit: RateLimitOptions;
  webhookTimeScale: number;
  stateFile?: string;
  seed: 'demo' | 'empty';
  switches: Partial<Switches>;
}

export interface CreateStoreOptions {
  storeHash?: string;
  name?: string;
  seed?: 'demo' | 'empty';
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number, alphabet = ALPHANUMERIC): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export function emptyState(): SandboxState {
  return { version: 1, next: { store: 1, hook: 1 }, clients: {}, stores: [], tokens: [], codes: [] };
}

export class SandboxCore {
  /** The sandbox's base URL, set once it listens. */
  url = '';
  /** A store's demo storefront URL (its own origin), set by whoever serves the storefronts. */
  storefrontUrl: (storeHash: string) => string = () => '';
  appUrl: string | undefined;
  readonly contexts = new Map<string, StoreContext>();
  readonly rateLimiter: RateLimiter;
  readonly dispatcher: WebhookDispatcher;
  readonly saver: SaveScheduler;

  constructor(
    readonly options: CoreOptions,
    readonly state: SandboxState,
  ) {
    this.appUrl = options.appUrl?.replace(/\/+$/, '');
    state.clients[options.clientId] = options.clientSecret;
    this.rateLimiter = new RateLimiter({ ...options.rateLimit });
    this.saver = new SaveScheduler(options.stateFile, () => this.state);
    this.dispatcher = new WebhookDispatcher({
      timeScale: options.webhookTimeScale,
      store: (hash) => this.contexts.get(hash)?.state,
      secretOf: (clientId) => this.state.clients[clientId],
      changed: () => this.saver.changed(),
    });
    for (const store of state.stores) this.attach(store);
  }

  private attach(store: StoreState): StoreContext {
    const context = new StoreContext(store, { event: (event) => this.dispatcher.enqueue(event), changed: () => this.saver.changed() });
    this.contexts.set(store.hash, context);
    return context;
  }

  /** The store's context; 404 (as BigCommerce answers an unknown store) when there is none. */
  context(storeHash: string): StoreContext {
    const context = this.contexts.get(storeHash);
    if (!context) throw new BcError(404, `Store ${storeHash} does not exist.`);
    return context;
  }

  createStore(options: CreateStoreOptions = {}): StoreContext {
    const hash = options.storeHash ?? randomString(10);
    if (!/^[a-z0-9]{1,32}$/.test(hash)) throw new BcError(422, 'storeHash must be 1–32 lower-case letters or digits.');
    if (this.contexts.has(hash)) throw new BcError(409, `Store ${hash} already exists.`);
    const number = this.state.next.store++;
    const owner: User = { id: 100 + number, email: `owner@${hash}.example.com`, locale: 'en-US' };
    const store: StoreState = {
      hash,
      // A numeric store id apart from the hash: webhooks carry it as a string in `store_id` (ref §6.2).
      id: String(1_000_000 + number),
      name: options.name ?? `Sandbox store ${number}`,
      account_uuid: randomUUID(),
      created_at: Date.now(),
      owner,
      users: [owner],
      settings: defaultInventorySettings(),
      switches: { ...DEFAULT_SWITCHES, ...validateSwitches(this.options.switches) },
      // Separate id ranges, so a product id mistaken for a variant or SKU id finds nothing.
      next: { product: 100, variant: 1000, sku: 500, option: 10, optionValue: 100, order: 100, orderLine: 1, refund: 1 },
      categories: [],
      brands: [],
      products: [],
      orders: [],
      hooks: [],
      scripts: [],
    };
    this.state.stores.push(store);
    const context = this.attach(store);
    if ((options.seed ?? this.options.seed) === 'demo') seedDemoCatalog(context);
    // Seeding is the store's starting point, not news for hooks: none are registered yet anyway.
    context.events.length = 0;
    this.saver.changed();
    return context;
  }

  /** Registers an API client (another app) with a secret of its own, unless known. */
  ensureClient(clientId: string): void {
    this.state.clients[clientId] ??= randomString(40);
  }

  /** A long-lived token of one client for one store (ref §1.2), with the scopes it may use (ref §1.5). */
  issueToken(storeHash: string, scopes: readonly string[] = ALL_SCOPES, clientId = this.options.clientId, user?: User): TokenRecord {
    const store = this.context(storeHash).state;
    this.ensureClient(clientId);
    const record: TokenRecord = {
      token: randomString(31),
      store_hash: storeHash,
      client_id: clientId,
      scopes: [...scopes],
      user: user ?? store.owner,
      created_at: Date.now(),
    };
    this.state.tokens.push(record);
    this.saver.changed();
    return record;
  }

  /** The token's record when it is valid for this store. */
  authenticate(storeHash: string, token: string | undefined): TokenRecord | undefined {
    if (!token) return undefined;
    return this.state.tokens.find((t) => t.token === token && t.store_hash === storeHash);
  }

  /** Revokes every token of `clientId` on the store (uninstall). */
  revokeTokens(storeHash: string, clientId: string): void {
    this.state.tokens = this.state.tokens.filter((t) => !(t.store_hash === storeHash && t.client_id === clientId));
    this.saver.changed();
  }

  async stop(): Promise<void> {
    await this.dispatcher.stop();
    await this.saver.flush();
  }
}
