-- The report's search indexes keep their list of not-yet-merged entries short. A GIN index gathers new
-- entries in a pending list (4 MB by default) that every search reads through in full: at a million lines
-- that was some 400 pages per search, most of a search's cost, on each of the page and its summary.
-- 128 kB bounds it to 16 pages; the order that fills it merges it, a few milliseconds.
alter index backorder_lines_name_trgm set (gin_pending_list_limit = 128);
alter index backorder_lines_sku_trgm set (gin_pending_list_limit = 128);
select gin_clean_pending_list('backorder_lines_name_trgm'::regclass);
select gin_clean_pending_list('backorder_lines_sku_trgm'::regclass);
