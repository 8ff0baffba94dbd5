/**
 * A fake of the BigCommerce gateway (server/bigcommerce/gateway.types.ts) for tests of the app side,
 * swapped in where the app builds the real one (`start({ gateway })`): it hands out install codes and
 * signed payloads the way BigCommerce would, answers only with the token it issued for a store (so a test
 * proves the app decrypted the right one), and records every call. A store's connection is
 * fake-store-connection.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { BigCommerceGateway, BigCommerceUser, CatalogProduct, GatewayFactory, InstallGrant, SignedPayloadCheck } from '../../server/bigcommerce/index.ts';
import { fakeStoreConnection, refuseUnless, type FakeCalls, type FakeStore } from './fake-store-connection.ts';

export const ALL_SCOPES = 'store_v2_products store_v2_orders store_v2_content store_content_checkout store_v2_information_read_only store_inventory';

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
  const calls: FakeCalls = {
    connect: [],
    registerWebhooks: [],
    registerScripts: [],
    restoreTracking: [],
    takeOverTracking: [],
    handBack: [],
    catalogReads: [],
    forgetToken: [],
  };
  const failingWrites = new Map<number, Error>();
  let requestRate: number | undefined = 5;
  let pageGate: ((index: number) => Promise<void>) | undefined;
  let failRestoreOf: number | undefined;
  /** When set, BigCommerce cannot be asked whether a token works (unreachable). */
  let tokenCheckFails = false;

  const storeOf = (storeHash: string) => {
    const store = stores.get(storeHash);
    if (!store) throw new Error(`fake BigCommerce has no store ${storeHash}`);
    return store;
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
      const conditions = { calls, pageSize, failingWrites, pageGate: () => pageGate, failRestoreOf: () => failRestoreOf, requestRate: () => requestRate };
      return fakeStoreConnection(store, token, conditions);
    },
    async forgetToken(storeHash) {
      calls.forgetToken.push(storeHash);
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
          fixedTimezone: 'Etc/GMT-1',
          stockLevelDisplay: 'dont_show',
          inventory: { ordersMoveLevelWhenPlaced: true, cancelsReturnUnits: true, editsMoveLevel: true, nativeBackorders: false },
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
