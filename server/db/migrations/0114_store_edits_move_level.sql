-- Whether the store's BigCommerce moves an order's units on its level when the order is edited
-- (/v3/settings/inventory `edit_order_stock_adjustment`), read with its profile at install and by reconcile:
-- strict limit mode needs it, or every edited line would leave the level off the salable quantity.
alter table stores add column edits_move_level boolean not null default true;
