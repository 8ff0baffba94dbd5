/**
 * The sandbox store's state: plain data, in memory, serialisable as JSON (persistence.ts). Field names
 * follow BigCommerce's where the API shows them, so views stay thin. Times are unix milliseconds.
 */
import type { BillingState } from './billing-model.ts';
import type { Switches } from './switches.ts';

export type InventoryTracking = 'none' | 'product' | 'variant';
export type Availability = 'available' | 'disabled' | 'preorder';

export interface OptionValue {
  id: number;
  label: string;
  sort_order: number;
  /** A swatch value's colours (hex), as the Catalog API's `value_data.colors`. */
  colors?: string[];
}

/** A variant option (Size, Colour): its values combine into variants. */
export interface ProductOption {
  id: number;
  display_name: string;
  type: 'dropdown' | 'rectangles' | 'radio_buttons' | 'swatch';
  values: OptionValue[];
}

export interface Variant {
  id: number;
  product_id: number;
  /** v2 SKU id; null for the base variant of a product without options (ref §3.4). */
  sku_id: number | null;
  sku: string;
  price: number | null;
  sale_price: number | null;
  retail_price: number | null;
  cost_price: number | null;
  weight: number | null;
  inventory_level: number;
  inventory_warning_level: number;
  purchasing_disabled: boolean;
  purchasing_disabled_message: string;
  upc: string;
  mpn: string;
  gtin: string;
  bin_picking_number: string;
  image_url: string;
  /** Empty for the base variant; one value per option otherwise. */
  option_values: Array<{ id: number; option_id: number }>;
  /** Native backorders (beta, switch `nativeBackorders`): units sellable beyond the level; null unlimited; absent 0. */
  backorder_limit?: number | null;
  /** Native backorders: units sold beyond the level (native-backorders.ts); absent 0. */
  qty_backordered?: number;
}

export interface Product {
  id: number;
  name: string;
  type: 'physical' | 'digital';
  sku: string;
  description: string;
  price: number;
  sale_price: number;
  retail_price: number;
  cost_price: number;
  weight: number;
  categories: number[];
  brand_id: number;
  inventory_tracking: InventoryTracking;
  /** Stock of a product with options tracked by product (ref §3.3); simple products keep theirs on the base variant. */
  product_level: number;
  inventory_warning_level: number;
  is_visible: boolean;
  is_featured: boolean;
  availability: Availability;
  availability_description: string;
  preorder_release_date: number | null;
  preorder_message: string;
  is_preorder_only: boolean;
  order_quantity_minimum: number;
  order_quantity_maximum: number;
  total_sold: number;
  custom_url: string;
  date_created: number;
  date_modified: number;
  options: ProductOption[];
  /** A simple product has exactly one variant, its base variant (ref §3.4). */
  variants: Variant[];
}

export interface Category {
  id: number;
  parent_id: number;
  name: string;
  description: string;
  sort_order: number;
  is_visible: boolean;
  custom_url: string;
}

export interface Brand {
  id: number;
  name: string;
  custom_url: string;
}

export interface OrderLine {
  id: number;
  product_id: number;
  variant_id: number;
  sku: string;
  name: string;
  quantity: number;
  quantity_refunded: number;
  quantity_shipped: number;
  base_price: number;
  options: Array<{ option_id: number; value_id: number; display_name: string; display_value: string }>;
  /** Units this line currently takes from stock, and where from: what a cancel gives back (inferred, ref §4.6). */
  held: number;
  held_on: 'product' | 'variant' | null;
  /** Native backorders: units of the line backordered when it last took units (ref §9); absent 0. */
  quantity_backordered?: number;
  /** Of the units held, those held as backordered: what a cancel gives back to qty backordered first. */
  held_backordered?: number;
}

export interface BillingAddress {
  first_name: string;
  last_name: string;
  email: string;
  street_1: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  country_iso2: string;
}

export interface Order {
  id: number;
  customer_id: number;
  status_id: number;
  date_created: number;
  date_modified: number;
  date_shipped: number | null;
  customer_message: string;
  staff_notes: string;
  billing_address: BillingAddress;
  cart_id: string;
  channel_id: number;
  payment_method: string;
  refunded_amount: number;
  refunds: Array<{ id: number; at: number; items: Array<{ order_product_id: number; quantity: number }> }>;
  lines: OrderLine[];
  /** Archived (`DELETE /v2/orders/{id}`): still read, with `is_deleted: true` (ref §5.2). Absent in older state files. */
  is_deleted?: boolean;
}

export interface Hook {
  id: number;
  client_id: string;
  scope: string;
  destination: string;
  is_active: boolean;
  headers: Record<string, string> | null;
  events_history_enabled?: boolean;
  created_at: number;
  updated_at: number;
}

export interface Script {
  uuid: string;
  api_client_id: string;
  name: string;
  description: string;
  kind: 'src' | 'script_tag';
  src: string;
  html: string;
  load_method: 'default' | 'async' | 'defer';
  location: 'head' | 'footer';
  visibility: 'storefront' | 'all_pages' | 'checkout' | 'order_confirmation';
  auto_uninstall: boolean;
  /** `unknown` when the creator gave none (ref §7). */
  consent_category: 'essential' | 'functional' | 'analytics' | 'targeting' | 'unknown';
  enabled: boolean;
  channel_id: number;
  integrity_hashes: string[];
  date_created: number;
  date_modified: number;
}

export interface InventorySettings {
  product_out_of_stock_behavior: 'do_nothing' | 'hide_product' | 'hide_product_and_accessible' | 'hide_product_and_redirect';
  option_out_of_stock_behavior: 'do_nothing' | 'hide_option' | 'label_option';
  update_stock_behavior: 'order_placed' | 'order_completed_or_shipped';
  edit_order_stock_adjustment: boolean;
  refund_order_stock_adjustment: boolean;
  stock_level_display: 'dont_show' | 'show' | 'show_when_low';
  default_out_of_stock_message: string;
  hide_in_product_filtering: boolean;
  show_pre_order_stock_levels: boolean;
  show_out_of_stock_message: boolean;
}

export interface User {
  id: number;
  email: string;
  locale: string;
}

export interface StoreState {
  hash: string;
  /** Numeric store id, as a string: what webhooks carry in `store_id` (ref §6.2). */
  id: string;
  name: string;
  account_uuid: string;
  created_at: number;
  owner: User;
  users: User[];
  settings: InventorySettings;
  switches: Switches;
  next: { product: number; variant: number; sku: number; option: number; optionValue: number; order: number; orderLine: number; refund: number };
  categories: Category[];
  brands: Brand[];
  products: Product[];
  orders: Order[];
  hooks: Hook[];
  scripts: Script[];
  /** Absent in state files written before the demo storefront existed. */
  storefront?: StorefrontState;
  /** The store's IANA time zone, as the control panel sets it; absent: `Etc/UTC`. */
  timezone?: string;
}

/** A line of a shopper's cart: one variant (the base variant of a product without options) and a quantity. */
export interface CartLine {
  /** The line item id (a UUID), as the Storefront Cart API and the cart page's `data-cart-itemid` show it. */
  id: string;
  product_id: number;
  variant_id: number;
  quantity: number;
}

/** A shopper's cart on the demo storefront (ref §8.1); its id is also the checkout id (ref §8.2). */
export interface Cart {
  id: string;
  lines: CartLine[];
  email: string;
  billing_address: Partial<BillingAddress> | null;
  customer_message: string;
  created_at: number;
  updated_at: number;
  /** Bumped on every change, as the Storefront Cart API's `version`. */
  version: number;
}

/** A shopper's browser session (the `SHOP_SESSION_TOKEN` cookie): its cart and the orders it placed. */
export interface ShopperSession {
  token: string;
  cart_id: string | null;
  order_ids: number[];
  seen_at: number;
}

/** The store's demo storefront: the port it listens on (kept across restarts) and its shoppers' carts. */
export interface StorefrontState {
  port: number | null;
  carts: Cart[];
  sessions: ShopperSession[];
}

export interface TokenRecord {
  token: string;
  store_hash: string;
  client_id: string;
  scopes: string[];
  user: User;
  created_at: number;
}

export interface GrantCode {
  code: string;
  store_hash: string;
  client_id: string;
  scopes: string[];
  redirect_uri: string;
  user: User;
  expires_at: number;
}

export interface SandboxState {
  version: 1;
  next: { store: number; hook: number };
  /** API clients: the app's, plus any another test asks a token for. */
  clients: Record<string, string>;
  stores: StoreState[];
  tokens: TokenRecord[];
  codes: GrantCode[];
  /** Unified Billing's partner account, checkouts and subscriptions (absent in older state files). */
  billing?: BillingState;
}

/** The default inventory settings of a new store (ref §4.6). */
export function defaultInventorySettings(): InventorySettings {
  return {
    product_out_of_stock_behavior: 'do_nothing',
    option_out_of_stock_behavior: 'label_option',
    update_stock_behavior: 'order_placed',
    edit_order_stock_adjustment: true,
    refund_order_stock_adjustment: true,
    stock_level_display: 'dont_show',
    default_out_of_stock_message: 'Out of stock',
    hide_in_product_filtering: false,
    show_pre_order_stock_levels: false,
    show_out_of_stock_message: true,
  };
}
