-- All Products' search indexes keep their list of not-yet-merged entries short, as 0041 does for the
-- report's. A GIN index gathers new entries in a pending list (4 MB by default) that every search reads
-- through in full: after the first sync of 100,000 products the SKU indexes held some 400 pages each, read
-- by every search even when nothing matches. 128 kB bounds it to 16 pages; the write that fills it merges it.
alter index catalog_products_name_trgm set (gin_pending_list_limit = 128);
alter index catalog_products_sku_trgm set (gin_pending_list_limit = 128);
alter index catalog_variants_sku_trgm set (gin_pending_list_limit = 128);
select gin_clean_pending_list('catalog_products_name_trgm'::regclass);
select gin_clean_pending_list('catalog_products_sku_trgm'::regclass);
select gin_clean_pending_list('catalog_variants_sku_trgm'::regclass);
