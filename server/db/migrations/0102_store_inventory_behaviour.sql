-- How the store's BigCommerce moves levels (/v3/settings/inventory), read with its profile at install and by
-- reconcile: strict limit mode needs orders to take their units when placed and to give them back when
-- cancelled; native backorders (beta) on means the app must not become a second source of truth.
alter table stores
  add column orders_move_level_when_placed boolean not null default true,
  add column cancels_return_units boolean not null default true,
  add column native_backorders boolean not null default false;
