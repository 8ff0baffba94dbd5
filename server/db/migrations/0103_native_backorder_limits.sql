-- Strict limit mode on BigCommerce's native backorders (issue 19): where the store has them on, a strict
-- item keeps BigCommerce's level at what is on hand, max(0, current_stock), its qty backordered at the units
-- owed, max(0, -current_stock), and its native backorder limit at the threshold; BigCommerce sells on hand +
-- limit - qty backordered = current_stock + backorder_threshold, the app's salable quantity.
--   native_backorders:        the item is held strictly on native backorders (set with strict_since).
--   bigcommerce_backordered:  BigCommerce's qty backordered as the app expects it now: what it last read or
--                             wrote, moved by the backordered units of the orders BigCommerce counted since.
--   native_limit_written, native_backorder_limit: the native backorder limit the app last wrote for the item
--                             (null limit: unlimited), kept on a retired item until the app hands the limit
--                             back, so that a limit BigCommerce shows is known to be the app's own.
alter table inventory_items
  add column native_backorders boolean not null default false,
  add column bigcommerce_backordered integer,
  add column native_limit_written boolean not null default false,
  add column native_backorder_limit integer;
