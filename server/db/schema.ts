/**
 * Row types of every table, for Kysely. One interface per table, named after it; each later migration
 * adds its tables here.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

/** A timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface StoresTable {
  store_hash: string;
  status: Generated<'active' | 'uninstalled'>;
  access_token_ciphertext: string | null;
  scope: Generated<string>;
  owner_user_id: number | null;
  owner_email: string | null;
  installed_at: DefaultTimestamp;
  uninstalled_at: Timestamp | null;
  purge_after: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** BigCommerce's numeric store id (webhook deliveries carry it as `store_id`). */
  store_id: number | null;
  name: Generated<string>;
  domain: Generated<string>;
  secure_url: Generated<string>;
  control_panel_url: Generated<string>;
  /** IANA time zone name from /v2/store. */
  timezone: Generated<string>;
  account_uuid: string | null;
  profile_read_at: Timestamp | null;
  stock_level_display: Generated<'dont_show' | 'show' | 'show_when_low'>;
  scripts_version: string | null;
  /** Which installation this is: a reinstall after an uninstall starts the next one. */
  installation: Generated<number>;
  /** Key id of the secret the store's hooks were last registered with; null: the legacy raw-key secret. */
  webhook_secret_key_id: string | null;
  /** BigCommerce's inventory settings as strict limit mode needs them (migration 0102). */
  orders_move_level_when_placed: Generated<boolean>;
  cancels_return_units: Generated<boolean>;
  /** BigCommerce moves an edited order's units on its level (migration 0114). */
  edits_move_level: Generated<boolean>;
  native_backorders: Generated<boolean>;
}

export interface StoreUsersTable {
  store_hash: string;
  user_id: number;
  email: string;
  locale: string | null;
  is_owner: Generated<boolean>;
  created_at: DefaultTimestamp;
  last_seen_at: Timestamp | null;
  username: Generated<string>;
  /** Set when the owner removed the user; payloads issued up to `removed_payload_iat` are refused. */
  removed_at: Timestamp | null;
  /** BigCommerce's `iat` (unix s) of the remove_user payload. */
  removed_payload_iat: number | null;
  /** Moves on at each removal; a session carries the generation it was opened in. */
  access_generation: Generated<number>;
}

export interface UsedSignedPayloadsTable {
  jti: string;
  store_hash: string;
  expires_at: Timestamp;
  used_at: DefaultTimestamp;
}

export interface StoreSettingsTable {
  store_hash: string;
  overrides: ColumnType<Record<string, unknown>, string | undefined, string>;
  updated_at: DefaultTimestamp;
}

export type WebhookEventStatus = 'received' | 'processed' | 'failed' | 'ignored';

export interface WebhookEventsTable {
  id: Generated<number>;
  store_hash: string;
  scope: string;
  hash: string;
  event_created_at: number;
  payload: ColumnType<unknown, string, string>;
  status: Generated<WebhookEventStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  received_at: DefaultTimestamp;
  processed_at: Timestamp | null;
}

export type TrackingMode = 'none' | 'product' | 'variant';
export type Availability = 'available' | 'disabled' | 'preorder';

export interface AssignmentsTable {
  id: Generated<number>;
  store_hash: string;
  product_id: number;
  tracked_by: 'product' | 'variant';
  saved_inventory_tracking: TrackingMode;
  saved_availability: Availability;
  /** From when its orders are the app's to count; null while BigCommerce's level still counts them (migration 0113). */
  assigned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  released_at: Timestamp | null;
  release_reason: string | null;
  /** When the merchant dismissed the notice of a release BackOrder made by itself (migration 0080). */
  release_notice_dismissed_at: Timestamp | null;
  /** Where the product stands with BigCommerce (migration 0020). */
  state: Generated<AssignmentState>;
  unassign_restore_tracking: Generated<boolean>;
  unassign_not_purchasable: Generated<boolean>;
  /** The key of the unassign form whose post marked it unassigning (migration 0104). */
  unassign_key: string | null;
  settings_saved: Generated<boolean>;
  bigcommerce_error: string | null;
  state_changed_at: DefaultTimestamp;
}

/** assigning: BigCommerce still tracks it; active: BigCommerce confirmed; unassigning: being handed back. */
export type AssignmentState = 'assigning' | 'active' | 'unassigning';

export interface InventoryItemsTable {
  id: Generated<number>;
  store_hash: string;
  assignment_id: number;
  product_id: number;
  variant_id: number | null;
  sku: Generated<string>;
  starting_stock: number;
  current_stock: number;
  backorder_threshold: number | null;
  incoming_stock: Generated<number>;
  /** YYYY-MM-DD */
  back_in_stock_date: string | null;
  bigcommerce_level: number | null;
  /** When the merchant gave its stock; its orders count from then (migration 0113). Null: read from BigCommerce's level. */
  stock_given_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Units below zero that no waiting line accounts for: waiting units + this = max(0, -current_stock). */
  unexplained_shortfall: Generated<number>;
  /** Strict limit mode: since when BigCommerce tracks the item for the app, its level kept at stock + threshold; null: flexible. */
  strict_since: Timestamp | null;
  /** The latest strict spell: BigCommerce moved its level itself for an order placed within it. */
  level_counted_from: Timestamp | null;
  level_counted_until: Timestamp | null;
  /** Moves whenever the level the app expects changes by its own hand (a write, an order): a read begun before is stale. */
  level_seq: Generated<number>;
  last_order_at: Timestamp | null;
  /** Strict on BigCommerce's native backorders: level at on hand, qty backordered at the units owed, limit at the threshold. */
  native_backorders: Generated<boolean>;
  /** BigCommerce's qty backordered as the app expects it (native backorders); null: unknown. */
  bigcommerce_backordered: number | null;
  /** The native backorder limit the app last wrote (`native_backorder_limit` null: unlimited); false: none of its own. */
  native_limit_written: Generated<boolean>;
  native_backorder_limit: number | null;
  retired_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export type MovementReason = 'order' | 'sync' | 'manual' | 'import' | 'restock' | 'reconcile';

export interface StockMovementsTable {
  id: Generated<number>;
  store_hash: string;
  item_id: number;
  delta: number;
  stock_after: number;
  reason: MovementReason;
  order_id: number | null;
  idempotency_key: string;
  note: string | null;
  created_at: DefaultTimestamp;
}

export interface OrderLinesTable {
  store_hash: string;
  order_id: number;
  order_product_id: number;
  item_id: number;
  product_id: number;
  variant_id: number | null;
  sku: Generated<string>;
  product_name: Generated<string>;
  ordered_qty: number;
  held_qty: Generated<number>;
  predates_assignment: Generated<boolean>;
  order_status_id: number;
  order_created_at: Timestamp;
  version: Generated<number>;
  /** The snapshot that last wrote the line: BigCommerce's `date_modified`, then when the app's read began; null before 0115. */
  snapshot_modified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  snapshot_read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Units of the line shipped, as that snapshot says (BigCommerce's `quantity_shipped`); since 0117. */
  shipped_qty: Generated<number>;
  updated_at: DefaultTimestamp;
}

export type BackorderStatus = 'waiting' | 'allocated' | 'shipped' | 'cancelled' | 'released' | 'archived';

export interface BackorderLinesTable {
  id: Generated<number>;
  store_hash: string;
  item_id: number;
  order_id: number;
  order_product_id: number;
  product_id: number;
  variant_id: number | null;
  sku: Generated<string>;
  product_name: Generated<string>;
  ordered_qty: number;
  from_stock_qty: Generated<number>;
  backordered_qty: Generated<number>;
  allocated_qty: Generated<number>;
  over_cap_qty: Generated<number>;
  /** Units shipped beyond those taken from stock when the line last took more from stock (`shippedAllocated`). */
  shipped_beyond_stock_qty: Generated<number>;
  status: Generated<BackorderStatus>;
  /** YYYY-MM-DD */
  eta: string | null;
  order_created_at: Timestamp;
  shipped_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export type JobKind = 'install' | 'catalog-sync' | 'release-all' | 'assign' | 'unassign' | 'import' | 'sync' | 'limit-mode';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobsTable {
  id: Generated<number>;
  store_hash: string;
  kind: JobKind;
  status: Generated<JobStatus>;
  progress_done: Generated<number>;
  /** null while the amount of work is unknown. */
  progress_total: number | null;
  message: Generated<string>;
  error: string | null;
  attempts: Generated<number>;
  created_at: DefaultTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: DefaultTimestamp;
}

export interface CatalogProductsTable {
  store_hash: string;
  product_id: number;
  name: string;
  sku: Generated<string>;
  is_visible: boolean;
  availability: Availability;
  inventory_tracking: TrackingMode;
  inventory_level: Generated<number>;
  variants_inventory_level: Generated<number>;
  variant_count: Generated<number>;
  category_ids: ColumnType<number[], number[] | undefined, number[]>;
  brand_id: number | null;
  date_modified: Timestamp | null;
  sync_job_id: number | null;
  synced_at: DefaultTimestamp;
}

export interface CatalogVariantsTable {
  store_hash: string;
  variant_id: number;
  product_id: number;
  sku: Generated<string>;
  option_labels: Generated<string>;
  inventory_level: Generated<number>;
  purchasing_disabled: Generated<boolean>;
  /** [[option_id, option_value_id], ...] */
  option_pairs: ColumnType<Array<[number, number]>, string | undefined, string>;
}

export interface CatalogCategoriesTable {
  store_hash: string;
  category_id: number;
  parent_id: Generated<number>;
  name: string;
  is_visible: Generated<boolean>;
  sync_job_id: number | null;
}

export interface CatalogBrandsTable {
  store_hash: string;
  brand_id: number;
  name: string;
  sync_job_id: number | null;
}

/** A selling check given up while BigCommerce was away, for the selling sweep to ask again (migration 0119). */
export interface SellingChecksOwedTable {
  store_hash: string;
  item_id: number;
  given_up_at: DefaultTimestamp;
}

export interface PurchasingHoldsTable {
  id: Generated<number>;
  store_hash: string;
  item_id: number;
  product_id: number;
  variant_id: number;
  disabled_by_app: boolean;
  created_at: DefaultTimestamp;
  /** null: recorded, BigCommerce not yet told. */
  applied_at: Timestamp | null;
  lifted_at: Timestamp | null;
  /** The text the app gave BigCommerce to show on the stopped variant; null: none (the merchant's own hold, or not yet applied). */
  message: string | null;
}

export interface OrderNotesTable {
  store_hash: string;
  order_id: number;
  noted_at: DefaultTimestamp;
}

export interface StorePlansTable {
  store_hash: string;
  plan_id: Generated<string>;
  cycle_started_at: Timestamp | null;
  cycle_ends_at: Timestamp | null;
  pending_plan_id: string | null;
  updated_at: DefaultTimestamp;
  subscription_id: string | null;
  billing_interval: string | null;
  price_cents: number | null;
  cancelled_at: Timestamp | null;
  synced_at: Timestamp | null;
}

export interface PlanCheckoutsTable {
  id: Generated<number>;
  store_hash: string;
  checkout_id: string;
  plan_id: string;
  billing_interval: 'MONTH' | 'ANNUAL';
  price_cents: number;
  subscription_id: string | null;
  checkout_url: string;
  state: Generated<'open' | 'applied' | 'replaced'>;
  bigcommerce_status: Generated<string>;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  checked_at: Timestamp | null;
}

export interface BillingChargesTable {
  id: Generated<number>;
  store_hash: string;
  kind: 'subscription' | 'upgrade' | 'renewal' | 'change' | 'cancellation' | 'ended';
  plan_id: string;
  from_plan_id: string | null;
  amount_cents: number;
  period_start: Timestamp;
  period_end: Timestamp;
  description: string;
  idempotency_key: string;
  created_at: DefaultTimestamp;
  subscription_id: string | null;
  billing_interval: string | null;
  bigcommerce_status: string | null;
}

export interface ImportsTable {
  id: Generated<number>;
  store_hash: string;
  job_id: number | null;
  mode: 'assign' | 'update';
  columns: Generated<string[]>;
  filename: Generated<string>;
  byte_size: Generated<number>;
  problems: ColumnType<unknown, string | null | undefined, string | null>;
  /** Every problem of a refused file, also those not kept in `problems` (migration 0112). */
  problem_count: ColumnType<number | null, number | null | undefined, number | null>;
  rows_applied: number | null;
  /** The key of the upload form that stored it (migration 0105). */
  upload_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: DefaultTimestamp;
}

/** A row of an import being run, matched to its product (and item, to update): see migration 0108. */
export interface ImportRowsTable {
  store_hash: string;
  import_id: number;
  line: number;
  product_id: number;
  variant_id: number | null;
  item_id: ColumnType<string | null, number | null | undefined, number | null>;
  item_values: ColumnType<Record<string, unknown>, string, string>;
}

/** A part of an import's file, as uploaded: see migration 0109. */
export interface ImportFilePartsTable {
  store_hash: string;
  import_id: number;
  part: number;
  bytes: Buffer;
}

export interface ReconcileRunsTable {
  id: Generated<number>;
  store_hash: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  fixes: ColumnType<string[], string[] | undefined, string[]>;
  error: string | null;
  orders_through: Timestamp | null;
}

export interface DB {
  stores: StoresTable;
  store_users: StoreUsersTable;
  store_settings: StoreSettingsTable;
  webhook_events: WebhookEventsTable;
  assignments: AssignmentsTable;
  inventory_items: InventoryItemsTable;
  stock_movements: StockMovementsTable;
  order_lines: OrderLinesTable;
  backorder_lines: BackorderLinesTable;
  jobs: JobsTable;
  catalog_products: CatalogProductsTable;
  catalog_variants: CatalogVariantsTable;
  catalog_categories: CatalogCategoriesTable;
  catalog_brands: CatalogBrandsTable;
  purchasing_holds: PurchasingHoldsTable;
  selling_checks_owed: SellingChecksOwedTable;
  order_notes: OrderNotesTable;
  reconcile_runs: ReconcileRunsTable;
  store_plans: StorePlansTable;
  billing_charges: BillingChargesTable;
  plan_checkouts: PlanCheckoutsTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  import_file_parts: ImportFilePartsTable;
  used_signed_payloads: UsedSignedPayloadsTable;
}

export type Store = Selectable<StoresTable>;
export type StoreUser = Selectable<StoreUsersTable>;
export type WebhookEvent = Selectable<WebhookEventsTable>;
export type Assignment = Selectable<AssignmentsTable>;
export type InventoryItem = Selectable<InventoryItemsTable>;
export type OrderLine = Selectable<OrderLinesTable>;
export type BackorderLine = Selectable<BackorderLinesTable>;
export type Job = Selectable<JobsTable>;
export type Import = Selectable<ImportsTable>;
export type PurchasingHold = Selectable<PurchasingHoldsTable>;
export type StorePlan = Selectable<StorePlansTable>;
export type BillingCharge = Selectable<BillingChargesTable>;
export type PlanCheckout = Selectable<PlanCheckoutsTable>;
