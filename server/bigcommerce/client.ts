/**
 * createBigCommerceClient: every call the app makes to one store, grouped as BigCommerce groups them
 * (`client.catalog.products.list(...)`, `client.orders.get(id)`, `client.hooks.create(...)`). Pointing
 * `apiUrl` at the sandbox store or at api.bigcommerce.com is the only difference between the two.
 */
import { catalogApi, type CatalogApi } from './catalog.ts';
import { hooksApi, type HooksApi } from './hooks.ts';
import { ordersApi, type OrdersApi } from './orders.ts';
import { createRequester, type Requester, type RequesterOptions } from './request.ts';
import { scriptsApi, type ScriptsApi } from './scripts.ts';
import { inventoryApi, storeApi, type InventoryApi, type StoreApi } from './store.ts';

export type BigCommerceClientOptions = RequesterOptions;

export interface BigCommerceClient {
  readonly storeHash: string;
  catalog: CatalogApi;
  orders: OrdersApi;
  hooks: HooksApi;
  content: { scripts: ScriptsApi };
  store: StoreApi;
  inventory: InventoryApi;
  /** Any other call, with the same rate limiting, retries and errors. */
  request: Requester;
}

/** A client for one store. The token stays inside; nothing on the returned object exposes it. */
export function createBigCommerceClient(options: BigCommerceClientOptions): BigCommerceClient {
  const request = createRequester(options);
  return {
    storeHash: options.storeHash,
    catalog: catalogApi(request),
    orders: ordersApi(request),
    hooks: hooksApi(request),
    content: { scripts: scriptsApi(request) },
    store: storeApi(request),
    inventory: inventoryApi(request),
    request,
  };
}
