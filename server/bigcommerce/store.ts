/** Store information (v2 `/store`) and inventory items (v3 `/inventory/items`, read only). */
import { v3Listing, type Listing } from './paginate.ts';
import type { Query } from './query.ts';
import type { Requester } from './request.ts';

export interface StoreInformation {
  /** The store hash. */
  id: string;
  /** The numeric store id, which webhook deliveries carry as the string `store_id`. */
  store_id: number;
  account_uuid?: string;
  name: string;
  domain: string;
  secure_url: string;
  control_panel_base_url: string;
  status: string;
  admin_email: string;
  language: string;
  currency: string;
  timezone: { name: string; raw_offset: number; dst_offset: number; [field: string]: unknown };
  plan_name: string;
  plan_level: string;
  default_channel_id: number;
  [field: string]: unknown;
}

export interface InventoryLocation {
  location_id: number;
  location_code: string;
  location_name: string;
  /** On hand minus safety stock. */
  available_to_sell: number;
  total_inventory_onhand: number;
  location_enabled: boolean;
  settings: { safety_stock: number; is_in_stock: boolean; warning_level: number; bin_picking_number: string };
  [field: string]: unknown;
}

export interface InventoryItem {
  identity: { sku: string; variant_id: number; product_id: number; sku_id: number | null };
  locations: InventoryLocation[];
  [field: string]: unknown;
}

export interface InventoryItemQuery extends Query {
  'product_id:in'?: ReadonlyArray<number>;
  'variant_id:in'?: ReadonlyArray<number>;
  'sku:in'?: ReadonlyArray<string>;
  'location_id:in'?: ReadonlyArray<number>;
  page?: number;
  limit?: number;
}

export interface StoreApi {
  information(): Promise<StoreInformation>;
}

export interface InventoryApi {
  items: Listing<InventoryItem, InventoryItemQuery>;
}

export function storeApi(request: Requester): StoreApi {
  return {
    async information() {
      return (await request<StoreInformation>({ version: 'v2', path: '/store' })).body as StoreInformation;
    },
  };
}

export function inventoryApi(request: Requester): InventoryApi {
  return { items: v3Listing<InventoryItem, InventoryItemQuery>(request, '/inventory/items') };
}
