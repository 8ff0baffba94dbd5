-- Inventory: assignments, their inventory items, the stock ledger, what each order line holds, and the
-- backorder lines that owe units to shoppers. Stock invariants (DESIGN.md):
--   current_stock = starting_stock + sum(stock_movements.delta)            for every item
--   sum(waiting units of its open backorder lines) = max(0, -current_stock) for every active item

-- A product put on the backorder list. Releasing it keeps the row (history); assigning it again makes a
-- new assignment with fresh items.
create table assignments (
  id bigserial primary key,
  store_hash text not null references stores (store_hash) on delete cascade,
  product_id integer not null,
  tracked_by text not null check (tracked_by in ('product', 'variant')),
  -- BigCommerce's settings before the app took the product over, restored on release.
  saved_inventory_tracking text not null check (saved_inventory_tracking in ('none', 'product', 'variant')),
  saved_availability text not null check (saved_availability in ('available', 'disabled', 'preorder')),
  assigned_at timestamptz not null default now(),
  released_at timestamptz,
  release_reason text,
  unique (store_hash, id)
);
create unique index assignments_active on assignments (store_hash, product_id) where released_at is null;

create table inventory_items (
  id bigserial primary key,
  store_hash text not null references stores (store_hash) on delete cascade,
  assignment_id bigint not null,
  product_id integer not null,
  -- null when the product is tracked at product level (one item for the whole product).
  variant_id integer,
  sku text not null default '',
  starting_stock integer not null,
  current_stock integer not null,
  -- The most units that may be sold beyond stock; null means unlimited.
  backorder_threshold integer check (backorder_threshold >= 0),
  incoming_stock integer not null default 0 check (incoming_stock >= 0),
  back_in_stock_date date,
  -- The level BigCommerce reported when last read; a change to it is applied to current_stock as a movement.
  bigcommerce_level integer,
  retired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (store_hash, id),
  foreign key (store_hash, assignment_id) references assignments (store_hash, id)
);
create unique index inventory_items_active on inventory_items (store_hash, product_id, coalesce(variant_id, 0))
  where retired_at is null;
create index inventory_items_assignment on inventory_items (assignment_id);

-- The ledger: one row per change to an item's stock, never updated. The key makes a retried write a no-op.
create table stock_movements (
  id bigserial primary key,
  store_hash text not null,
  item_id bigint not null,
  delta integer not null check (delta <> 0),
  stock_after integer not null,
  reason text not null check (reason in ('order', 'sync', 'manual', 'import', 'restock', 'reconcile')),
  order_id integer,
  idempotency_key text not null,
  note text,
  created_at timestamptz not null default now(),
  unique (store_hash, idempotency_key),
  foreign key (store_hash, item_id) references inventory_items (store_hash, id)
);
create index stock_movements_item on stock_movements (item_id, id);

-- What the app holds for each order line of an assigned item: the units already taken from the item.
-- Handlers converge held_qty to what the order should hold now, applying only the difference.
create table order_lines (
  store_hash text not null references stores (store_hash) on delete cascade,
  order_id integer not null,
  order_product_id integer not null,
  item_id bigint not null,
  product_id integer not null,
  variant_id integer,
  sku text not null default '',
  product_name text not null default '',
  ordered_qty integer not null check (ordered_qty >= 0),
  held_qty integer not null default 0 check (held_qty >= 0),
  -- Orders placed before the item was assigned hold nothing and return nothing.
  predates_assignment boolean not null default false,
  order_status_id integer not null,
  order_created_at timestamptz not null,
  version integer not null default 0,
  updated_at timestamptz not null default now(),
  primary key (store_hash, order_id, order_product_id),
  foreign key (store_hash, item_id) references inventory_items (store_hash, id)
);

-- An order line that took units beyond stock. Waiting units = backordered_qty - allocated_qty.
create table backorder_lines (
  id bigserial primary key,
  store_hash text not null,
  item_id bigint not null,
  order_id integer not null,
  order_product_id integer not null,
  product_id integer not null,
  variant_id integer,
  sku text not null default '',
  product_name text not null default '',
  ordered_qty integer not null check (ordered_qty >= 0),
  from_stock_qty integer not null default 0 check (from_stock_qty >= 0),
  backordered_qty integer not null default 0 check (backordered_qty >= 0),
  allocated_qty integer not null default 0 check (allocated_qty >= 0 and allocated_qty <= backordered_qty),
  -- Units sold beyond the salable quantity at the instant they were sold: flagged, never dropped.
  over_cap_qty integer not null default 0 check (over_cap_qty >= 0),
  status text not null default 'waiting'
    check (status in ('waiting', 'allocated', 'shipped', 'cancelled', 'released')),
  eta date,
  order_created_at timestamptz not null,
  shipped_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (store_hash, order_id, order_product_id),
  foreign key (store_hash, item_id) references inventory_items (store_hash, id)
);
create index backorder_lines_open on backorder_lines (item_id, order_created_at, id)
  where status in ('waiting', 'allocated');
create index backorder_lines_report on backorder_lines (store_hash, order_created_at desc);
