-- Units by which an item's stock is below zero that no waiting order line accounts for: a level lowered in
-- BigCommerce (or a stocktake) below what orders took. They are owed to no shopper, so they cannot wait on
-- a line; they are kept here, shown to the merchant, and the stock invariant (DESIGN.md) becomes
--   sum(waiting units of its open backorder lines) + unexplained_shortfall = max(0, -current_stock)
-- A fall first returns the newest allocated, unshipped units to waiting and the rest becomes shortfall; a
-- rise serves waiting shoppers first, then reduces the shortfall (backorders.service rebalance).
alter table inventory_items
  add column unexplained_shortfall integer not null default 0 check (unexplained_shortfall >= 0);

-- Items already short before this column existed: what their waiting lines do not explain.
with waiting as (
  select store_hash, item_id, sum(backordered_qty - allocated_qty) as units
  from backorder_lines where status = 'waiting' group by store_hash, item_id
)
update inventory_items i set unexplained_shortfall = -i.current_stock - coalesce(w.units, 0)
from inventory_items j
left join waiting w on w.store_hash = j.store_hash and w.item_id = j.id
where j.id = i.id and i.retired_at is null and -i.current_stock > coalesce(w.units, 0);
