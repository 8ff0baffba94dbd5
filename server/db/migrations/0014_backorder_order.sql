-- BigCommerce dates orders to the second, so orders of the same second are served in order-id order:
-- the open lines' index follows the allocation order (order date, order id, line).
drop index backorder_lines_open;
create index backorder_lines_open on backorder_lines (item_id, order_created_at, order_id, order_product_id)
  where status in ('waiting', 'allocated');
