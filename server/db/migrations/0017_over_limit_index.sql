-- The admin counts a store's units over the limit on every products and report page: a partial index
-- keeps that count to the few lines it concerns.
create index backorder_lines_over_limit on backorder_lines (store_hash, order_id) where over_cap_qty > 0 and status in ('waiting', 'allocated');
