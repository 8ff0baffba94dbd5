/**
 * A fake of the BigCommerce gateway (server/bigcommerce/gateway.types.ts) for tests of the app side,
 * swapped in where the app builds the real one (`start({ gateway })`): it hands out install codes and
 * signed payloads the way BigCommerce would, answers only with the token it issued for a store (so a test
 * proves the app decrypted the right one), serves a catalog page by page in id order (optionally holding
 * each page until the test releases it), and records every call. Orders, order notes and purchasing are
 * not modelled: those calls fail, as BigCommerce out of reach would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  BigCommerceGateway,
  BigCommerceUser,
  CatalogBrand,
  CatalogCategory,
  CatalogProduct,
  GatewayFactory,
  InstallGrant,
  ProductHandBack,
  SignedPayloadCheck,
  StoreProfile,
  TrackingRestore,
} from '../../server/bigcommerce/index.ts';

export const ALL_SCOPES =
  'store_v2_products store_v2_orders store_v2_content store_content_checkout store_v2_information_read_only store_inventory_read_only';

export interface FakeStore {
  storeHash: string;
  owner: BigCommerceUser;
  products: CatalogProduct[];
  categories: CatalogCategory[];
  brands: CatalogBrand[];
  information: StoreProfile;
  /** The token issued at the last install; calls with any other are refused. */
  accessToken?: string;
}

export interface FakeCalls {
  connect: Array<{ storeHash: string; tokenMatched: boolean }>;
  registerWebhooks: string[];
  registerScripts: string[];
  restoreTracking: Array<{ storeHash: string } & TrackingRestore>;
  /** One entry per batch request. */
  takeOverTracking: Array<{ storeHash: string; productIds: number[] }>;
  handBack: Array<{ storeHash: string; products: ProductHandBack[] }>;
  /** One entry per read of the catalog's products, with where it started (a sync resuming). */
  catalogReads: Array<{ storeHash: string; afterId: number | undefined }>;
}

let nextId = 1;

/** A product as BigCommerce lists it with include=variants; one base variant unless `variants` is given. */
export function bcProduct(fields: Partial<CatalogProduct> & { name: string }): CatalogProduct {
  const id = fields.id ?? nextId++;
  return {
    id,
    sku: `SKU-${id}`,
    is_visible: true,
    availability: 'available',
    inventory_tracking: 'product',
    inventory_level: 5,
    categories: [],
    brand_id: 0,
    date_modified: '2026-11-01T10:00:00+00:00',
    variants: [{ id: id * 100, product_id: id, sku: fields.sku ?? `SKU-${id}`, option_values: [], inventory_level: 5, purchasing_disabled: false }],
    ...fields,
  };
}

export function fakeBigCommerce() {
  const stores = new Map<string, FakeStore>();
  const codes = new Map<string, InstallGrant>();
  const payloads = new Map<string, SignedPayloadCheck>();
  const calls: FakeCalls = { connect: [], registerWebhooks: [], registerScripts: [], restoreTracking: [], takeOverTracking: [], handBack: [], catalogReads: [] };
  /** Product ids whose writes fail with this error, as BigCommerce in trouble would. */
  const failingWrites = new Map<number, Error>();
  let requestRate: number | undefined = 5;
  const failIfAsked = (productIds: readonly number[]) => {
    for (const id of productIds) {
      const error = failingWrites.get(id);
      if (error) throw error;
    }
  };
  /** When set, each page of products waits for this before it is served. */
  let pageGate: ((index: number) => Promise<void>) | undefined;
  let failRestoreOf: number | undefined;
  /** When set, BigCommerce cannot be asked whether a token works (unreachable). */
  let tokenCheckFails = false;

  const storeOf = (storeHash: string) => {
    const store = stores.get(storeHash);
    if (!store) throw new Error(`fake BigCommerce has no store ${storeHash}`);
    return store;
  };
  const refuseUnless = (store: FakeStore, token: string) => {
    if (token !== store.accessToken) throw new Error('401 Unauthorized: the access token is not valid for this store');
  };
  /** Pages of `items`; each page is a request, refused once the token is revoked. */
  async function* pages<T>(store: FakeStore, token: string, items: readonly T[], size: number, gate?: (index: number) => Promise<void>): AsyncGenerator<T[]> {
    for (let i = 0; i * size < items.length; i++) {
      await gate?.(i);
      refuseUnless(store, token);
      yield items.slice(i * size, (i + 1) * size);
    }
  }

  const notModelled = (call: string) => async (): Promise<never> => {
    throw new Error(`fake BigCommerce does not model ${call}`);
  };

  const gateway = (accessTokenFor: (storeHash: string) => Promise<string>, pageSize: number): BigCommerceGateway => ({
    async exchangeCode({ code }) {
      const grant = codes.get(code);
      codes.delete(code);
      if (!grant) throw new Error('invalid_grant: the code is unknown or was used already');
      storeOf(grant.context.slice('stores/'.length)).accessToken = grant.accessToken;
      return grant;
    },
    async verifySignedPayload(jwt) {
      return payloads.get(jwt) ?? { ok: false, reason: 'malformed' };
    },
    async tokenStatus(storeHash) {
      if (tokenCheckFails) return 'unknown';
      return (await accessTokenFor(storeHash)) === storeOf(storeHash).accessToken ? 'works' : 'revoked';
    },
    async connect(storeHash) {
      const token = await accessTokenFor(storeHash);
      const store = storeOf(storeHash);
      calls.connect.push({ storeHash, tokenMatched: token === store.accessToken });
      refuseUnless(store, token);
      const byId = () => [...store.products].sort((a, b) => a.id - b.id);
      const productsByIds = async (productIds: readonly number[]) => {
        refuseUnless(store, token);
        return structuredClone(store.products.filter((p) => productIds.includes(p.id)));
      };
      return {
        storeHash,
        storeProfile: async () => store.information,
        registerWebhooks: async (desired) => {
          calls.registerWebhooks.push(storeHash);
          return { created: desired.scopes.map((scope, id) => ({ id, scope })), updated: [], reactivated: [], deleted: [], unchanged: [] };
        },
        registerScripts: async (scripts) => {
          calls.registerScripts.push(storeHash);
          return { created: scripts.map((script, i) => ({ uuid: `fake-${i}`, name: script.name })), updated: [], deleted: [], unchanged: [] };
        },
        restoreTracking: async (restore) => {
          if (restore.productId === failRestoreOf) throw new Error('503 Service Unavailable');
          calls.restoreTracking.push({ storeHash, ...restore });
          const product = store.products.find((p) => p.id === restore.productId);
          if (product) product.inventory_tracking = restore.mode;
        },
        productsByIds,
        async product(productId) {
          return (await productsByIds([productId]))[0];
        },
        async *productPages(productIds) {
          yield await productsByIds(productIds);
        },
        takeOverTracking: async (productIds) => {
          refuseUnless(store, token);
          failIfAsked(productIds);
          calls.takeOverTracking.push({ storeHash, productIds: [...productIds] });
          const missing: number[] = [];
          for (const id of productIds) {
            const product = store.products.find((p) => p.id === id);
            if (product) product.inventory_tracking = 'none';
            else missing.push(id);
          }
          return { missing };
        },
        handBack: async (products) => {
          refuseUnless(store, token);
          failIfAsked(products.map((p) => p.productId));
          calls.handBack.push({ storeHash, products: structuredClone([...products]) });
          const missing: number[] = [];
          for (const back of products) {
            const product = store.products.find((p) => p.id === back.productId);
            if (!product) {
              missing.push(back.productId);
              continue;
            }
            if (back.notPurchasable) product.availability = 'disabled';
            if (back.tracking) {
              product.inventory_tracking = back.tracking.mode;
              for (const { variantId, level } of back.tracking.levels ?? []) {
                if (variantId === null) product.inventory_level = level;
                else for (const variant of product.variants ?? []) if (variant.id === variantId) variant.inventory_level = level;
              }
            }
            for (const variant of product.variants ?? []) if (back.enableVariants?.includes(variant.id)) variant.purchasing_disabled = false;
          }
          return { missing };
        },
        requestRate: async () => requestRate,
        purchasing: notModelled('purchasing'),
        setPurchasing: notModelled('setPurchasing'),
        order: notModelled('order'),
        // eslint-disable-next-line require-yield
        async *ordersChangedSince() {
          throw new Error('fake BigCommerce does not model ordersChangedSince');
        },
        orderNote: notModelled('orderNote'),
        writeOrderNote: notModelled('writeOrderNote'),
        catalog: {
          productCount: async () => store.products.length,
          products: (afterId) => {
            calls.catalogReads.push({ storeHash, afterId });
            return pages(store, token, byId().filter((p) => afterId === undefined || p.id > afterId), pageSize, pageGate);
          },
          categories: () => pages(store, token, store.categories, pageSize),
          brands: () => pages(store, token, store.brands, pageSize),
        },
      };
    },
  });

  return {
    calls,
    stores,
    /** Pass to start({ gateway }) / startTestApp({ gateway }); `pageSize` is how many products a page holds. */
    factory(pageSize = 250): GatewayFactory {
      return (context) => gateway(context.accessTokenFor, pageSize);
    },
    /** The same gateway, for code that is handed it directly. */
    gatewayWith(accessTokenFor: (storeHash: string) => Promise<string>, pageSize = 250): BigCommerceGateway {
      return gateway(accessTokenFor, pageSize);
    },
    addStore(storeHash: string, fields: Partial<Omit<FakeStore, 'storeHash'>> = {}): FakeStore {
      const owner = fields.owner ?? { id: 1000 + stores.size, email: `owner@${storeHash}.example` };
      const store: FakeStore = {
        storeHash,
        owner,
        products: [],
        categories: [],
        brands: [],
        information: {
          storeId: 900_000 + stores.size,
          name: `Store ${storeHash}`,
          domain: `${storeHash}.example`,
          secureUrl: `https://${storeHash}.example`,
          controlPanelUrl: `https://store-${storeHash}.mybigcommerce.com/manage`,
          timezone: 'Europe/Paris',
          stockLevelDisplay: 'dont_show',
        },
        ...fields,
      };
      stores.set(storeHash, store);
      return store;
    },
    /** A one-time install code for the store, as BigCommerce puts it on /auth. */
    installCode(storeHash: string, options: { user?: BigCommerceUser; scope?: string } = {}): { code: string; accessToken: string; query: string } {
      const store = storeOf(storeHash);
      const code = `code-${randomBytes(6).toString('hex')}`;
      const accessToken = `tok-${randomBytes(12).toString('hex')}`;
      const scope = options.scope ?? ALL_SCOPES;
      codes.set(code, { accessToken, scope, user: options.user ?? store.owner, owner: store.owner, context: `stores/${storeHash}` });
      const query = new URLSearchParams({ code, scope, context: `stores/${storeHash}`, account_uuid: 'acc-1' }).toString();
      return { code, accessToken, query };
    },
    /** A signed payload that verifies, for /load, /uninstall, /remove_user; `issuedAt` in unix seconds (default now). */
    signedPayload(storeHash: string, user?: BigCommerceUser, issuedAt = Math.floor(Date.now() / 1000)): string {
      const store = storeOf(storeHash);
      const jwt = `jwt-${randomBytes(8).toString('hex')}`;
      const jti = randomUUID();
      payloads.set(jwt, { ok: true, storeHash, user: user ?? store.owner, owner: store.owner, jti, issuedAt, expiresAt: issuedAt + 24 * 3600 });
      return jwt;
    },
    /** A payload the verifier refuses with `reason` (forged, expired, wrong audience...). */
    refusedPayload(reason: string): string {
      const jwt = `jwt-${reason}-${randomBytes(4).toString('hex')}`;
      payloads.set(jwt, { ok: false, reason });
      return jwt;
    },
    /** What BigCommerce does on uninstall: the store's token stops working. */
    revoke(storeHash: string) {
      delete storeOf(storeHash).accessToken;
    },
    /** BigCommerce cannot be reached to ask whether a token works (true), or can again (false). */
    failTokenChecks(fails: boolean) {
      tokenCheckFails = fails;
    },
    holdProductPages(gate: ((index: number) => Promise<void>) | undefined) {
      pageGate = gate;
    },
    failRestoreOf(productId: number | undefined) {
      failRestoreOf = productId;
    },
    /** Writes naming the product fail with `error` (undefined: they work again). */
    failWritesOf(productId: number, error: Error | undefined) {
      if (error) failingWrites.set(productId, error);
      else failingWrites.delete(productId);
    },
    setRequestRate(rate: number | undefined) {
      requestRate = rate;
    },
  };
}

export type FakeBigCommerce = ReturnType<typeof fakeBigCommerce>;
