/**
 * One fake store's connection, as the fake BigCommerce (fake-bigcommerce.ts) answers it: catalog pages in id
 * order (each page held by the test's gate, if any), tracking taken over and handed back on the store's
 * products, registrations counted. Every call made with a token other than the one issued at install is
 * refused, as BigCommerce refuses a revoked token. Orders, order notes and purchasing are not modelled:
 * those calls fail, as BigCommerce out of reach would.
 */
import type {
  BigCommerceUser,
  CatalogBrand,
  CatalogCategory,
  CatalogProduct,
  ProductHandBack,
  StoreConnection,
  StoreProfile,
  TrackingRestore,
} from '../../server/bigcommerce/index.ts';

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
  /** The stores whose token the app said changed (the fake keeps none to forget). */
  forgetToken: string[];
}

/** What the fake's controls change while a test runs. */
export interface FakeConditions {
  calls: FakeCalls;
  /** How many products a catalog page holds. */
  pageSize: number;
  /** When set, each page of products waits for this before it is served. */
  pageGate(): ((index: number) => Promise<void>) | undefined;
  /** Product ids whose writes fail with this error, as BigCommerce in trouble would. */
  failingWrites: ReadonlyMap<number, Error>;
  /** A product whose tracking cannot be restored. */
  failRestoreOf(): number | undefined;
  requestRate(): number | undefined;
}

export function refuseUnless(store: FakeStore, token: string): void {
  if (token !== store.accessToken) throw new Error('401 Unauthorized: the access token is not valid for this store');
}

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

/** The connection to `store` for a caller holding `token`. */
export function fakeStoreConnection(store: FakeStore, token: string, conditions: FakeConditions): StoreConnection {
  const { calls, pageSize } = conditions;
  const storeHash = store.storeHash;
  const failIfAsked = (productIds: readonly number[]) => {
    for (const id of productIds) {
      const error = conditions.failingWrites.get(id);
      if (error) throw error;
    }
  };
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
      if (restore.productId === conditions.failRestoreOf()) throw new Error('503 Service Unavailable');
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
    requestRate: async () => conditions.requestRate(),
    adjustLevels: notModelled('adjustLevels'),
    async inventoryBehaviour() {
      refuseUnless(store, token);
      return { ordersMoveLevelWhenPlaced: true, cancelsReturnUnits: true, editsMoveLevel: true, nativeBackorders: false };
    },
    async nativeBackorders() {
      refuseUnless(store, token);
      return new Map();
    },
    writeBackorderLimits: notModelled('writeBackorderLimits'),
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
        return pages(
          store,
          token,
          byId().filter((p) => afterId === undefined || p.id > afterId),
          pageSize,
          conditions.pageGate(),
        );
      },
      categories: () => pages(store, token, store.categories, pageSize),
      brands: () => pages(store, token, store.brands, pageSize),
    },
  };
}
