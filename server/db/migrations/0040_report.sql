-- The report a purchasing team works from.
-- An archived order (BigCommerce's DELETE /v2/orders/{id}) gives back the units it had not shipped: its
-- lines end as 'archived', kept for history like cancelled ones.
alter table backorder_lines drop constraint backorder_lines_status_check;
alter table backorder_lines add constraint backorder_lines_status_check
  check (status in ('waiting', 'allocated', 'shipped', 'cancelled', 'released', 'archived'));

-- Keyset pages of the report: each sort walks its own index from the cursor, so the last page of a large
-- store costs what the first does. The id breaks ties (several lines of one order share its date).
drop index backorder_lines_report;
create index backorder_lines_report on backorder_lines (store_hash, order_created_at, id);
create index backorder_lines_report_eta on backorder_lines (store_hash, (coalesce(eta, 'infinity'::date)), id);
create index backorder_lines_report_backordered on backorder_lines (store_hash, backordered_qty, id);
-- Search by product name or SKU anywhere in the text, within one store: btree_gin puts the store in the
-- trigram index, so a common word is looked up among the store's lines, not every store's.
create extension if not exists btree_gin;
create index backorder_lines_name_trgm on backorder_lines using gin (store_hash, product_name gin_trgm_ops);
create index backorder_lines_sku_trgm on backorder_lines using gin (store_hash, sku gin_trgm_ops);
