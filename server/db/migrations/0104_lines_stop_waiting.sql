-- Backorder lines that stopped waiting for stock, put right.
--
-- A product unassigned (or a variant gone) is followed no more, so its lines can never move on: the allocated
-- ones, unshipped, were left open for good — counted open, and over the limit when they were, in the report
-- and on the products tab. They end released, as its waiting ones did; their numbers stay for history.
update backorder_lines b set status = 'released', eta = null, updated_at = now()
from inventory_items i
where i.store_hash = b.store_hash and i.id = b.item_id and i.retired_at is not null and b.status in ('waiting', 'allocated');

-- An ETA says when a waiting line's units arrive: a line allocated, shipped, cancelled, archived or released
-- waits for nothing. Some kept the ETA they had (a quantity lowered until nothing waited, then shipped; an
-- unassign); from now on every change that ends a line's wait clears it. (No check constraint: a path
-- missed would then fail an order's stock change, and a stale date is the lesser harm.)
update backorder_lines set eta = null, updated_at = now() where eta is not null and status <> 'waiting';
