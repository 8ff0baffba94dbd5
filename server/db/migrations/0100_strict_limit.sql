-- Strict limit mode (issue 19): BigCommerce keeps tracking an item and the app keeps its level at
-- max(0, current_stock + backorder_threshold), so BigCommerce itself refuses every unit beyond the cap.
--   strict_since:  when BigCommerce began tracking the item for the app (null: flexible, tracking off).
--   level_counted_from, level_counted_until: the item's latest strict spell. BigCommerce moved its level by
--                  itself for an order placed within it, also when the order's event arrives after a switch.
--   level_seq:     moves whenever the level the app expects changes by its own hand (a write, an order):
--                  a level read that started before it moved is stale and is read again.
--   last_order_at: when an order last moved the item; a strict item's level read waits until orders settle.
-- In strict mode `bigcommerce_level` is the level BigCommerce should have now: what the app last wrote or
-- read, moved by the orders BigCommerce counted since.
alter table inventory_items
  add column strict_since timestamptz,
  add column level_counted_from timestamptz,
  add column level_counted_until timestamptz,
  add column level_seq integer not null default 0,
  add column last_order_at timestamptz;
