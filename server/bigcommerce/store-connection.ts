/**
 * A connection to one installed store: the calls of `StoreConnection` answered by the store's client
 * (its token and rate budget inside). Products are read with `include_fields` (PRODUCT_FIELDS) and their
 * variants, so every product the app sees has the same shape: `CatalogProduct`.
 */
import type { CatalogProduct } from './catalog.types.ts';
import { PRODUCT_FIELDS } from './catalog.types.ts';
import type { BigCommerceClient } from './client.ts';
import { NotFoundError } from './errors.ts';
import type { SharedReads } from './shared-reads.ts';
import type { CatalogSource, ProductPurchasing, StoreConnection } from './gateway.types.ts';
import { adjustLevels, nativeBackorders, readInventoryBehaviour, writeBackorderLimits } from './inventory-levels.ts';
import { handBack, restoreTracking, takeOverTracking } from './product-writes.ts';
import { reconcileScripts } from './register-scripts.ts';
import { reconcileWebhooks } from './register-webhooks.ts';
import { readStoreProfile } from './store-profile.ts';
import { ordersChangedSince, readOrder, readOrderNote, writeOrderNote } from './store-orders.ts';

const WITH_VARIANTS = { include: ['variants'], include_fields: PRODUCT_FIELDS } as const;

/** The store's catalog, page by page, as the catalog sync reads it: 250 products a request, variants included. */
function catalogOf(client: BigCommerceClient): CatalogSource {
  return {
    async productCount() {
      const page = await client.catalog.products.list({ limit: 1, include_fields: ['id'] });
      return page.pagination?.total ?? page.data.length;
    },
    products: (afterId) =>
      client.catalog.products.pages({ ...WITH_VARIANTS, sort: 'id', direction: 'asc', ...(afterId !== undefined ? { 'id:greater': afterId } : {}) }),
    categories: () => client.catalog.categories.pages({ include_fields: ['id', 'parent_id', 'name', 'is_visible'] }),
    brands: () => client.catalog.brands.pages({ include_fields: ['id', 'name'] }),
  };
}

async function purchasingOf(client: BigCommerceClient, productId: number): Promise<ProductPurchasing | undefined> {
  try {
    const product = await client.catalog.products.get(productId, { include: ['variants'] });
    return {
      availability: product.availability,
      isPriceHidden: product['is_price_hidden'] === true,
      variants: (product.variants ?? []).map((variant) => ({ id: variant.id, purchasingDisabled: variant.purchasing_disabled })),
    };
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The connection over the store's client; `requestRate` reads the budget BigCommerce last reported. A
 * product's read goes with the store's other reads of the moment, an order's read with the reads of the same
 * order that wait for one in flight (`shared`: the gateway's, shared by every connection it gives).
 */
export function storeConnection(client: BigCommerceClient, requestRate: () => Promise<number | undefined>, shared: SharedReads): StoreConnection {
  const productPages = (productIds: readonly number[]) => client.catalog.products.pagesByIds(productIds, WITH_VARIANTS);
  const productsByIds = async (productIds: readonly number[]) => {
    const products: CatalogProduct[] = [];
    if (productIds.length === 0) return products;
    for await (const page of productPages(productIds)) products.push(...page);
    return products;
  };
  return {
    storeHash: client.storeHash,
    storeProfile: () => readStoreProfile(client),
    registerWebhooks: (desired) => reconcileWebhooks(client, desired),
    registerScripts: (scripts) => reconcileScripts(client, { scripts }),
    catalog: catalogOf(client),
    product: (productId) => shared.product(client.storeHash, productId, productsByIds),
    productPages,
    productsByIds,
    takeOverTracking: (productIds) => takeOverTracking(client, productIds),
    handBack: (products) => handBack(client, products),
    restoreTracking: (restore) => restoreTracking(client, restore),
    adjustLevels: (adjustments) => adjustLevels(client, adjustments, 'BackOrder: salable quantity (stock + backorder threshold)'),
    inventoryBehaviour: () => readInventoryBehaviour(client),
    nativeBackorders: (productIds) => nativeBackorders(client, productIds),
    writeBackorderLimits: (limits) => writeBackorderLimits(client, limits),
    purchasing: (productId) => purchasingOf(client, productId),
    async setPurchasing(changes) {
      await client.catalog.variants.updateInChunks(
        changes.map((change) => ({
          id: change.variantId,
          purchasing_disabled: change.disabled,
          purchasing_disabled_message: change.disabled ? change.message : '',
        })),
      );
    },
    order: (orderId) => shared.order(client.storeHash, orderId, (id) => readOrder(client, id)),
    ordersChangedSince: (since) => ordersChangedSince(client, since),
    orderNote: (orderId, field) => readOrderNote(client, orderId, field),
    writeOrderNote: (orderId, field, text) => writeOrderNote(client, orderId, field, text),
    requestRate,
  };
}
