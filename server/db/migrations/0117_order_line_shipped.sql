-- Units of each order line shipped, as the snapshot that last wrote the line says (BigCommerce's
-- `quantity_shipped`). A backorder line's allocated units up to those shipped (beyond the units the line took
-- from stock, which ship first) have left with the shopper: a correction that lowers stock cannot return them
-- to waiting, and allocation by order date cannot deal them to another line. Lines written before: those whose
-- backorder line is marked shipped shipped all their units; the others count none until their order converges
-- again (a snapshot with units shipped is then no longer what the app recorded).
alter table order_lines add column shipped_qty integer not null default 0;

update order_lines ol set shipped_qty = b.from_stock_qty + b.backordered_qty
from backorder_lines b
where b.store_hash = ol.store_hash and b.order_id = ol.order_id and b.order_product_id = ol.order_product_id
  and b.item_id = ol.item_id and b.shipped_at is not null;
