-- migrate: no transaction
-- All Products' search looks in one store's catalog: its trigram indexes lead with the store (btree_gin, as
-- the report's), so that a search reads its own store's matches, not every store's. Built concurrently:
-- stores keep syncing and selling while a large deployment's indexes are built. Each new index is built
-- beside the old one and takes its name, so a run stopped part-way is finished by running it again.
drop index concurrently if exists catalog_products_name_trgm_by_store;
create index concurrently catalog_products_name_trgm_by_store on catalog_products using gin (store_hash, name gin_trgm_ops);
drop index concurrently if exists catalog_products_name_trgm;
alter index catalog_products_name_trgm_by_store rename to catalog_products_name_trgm;

drop index concurrently if exists catalog_products_sku_trgm_by_store;
create index concurrently catalog_products_sku_trgm_by_store on catalog_products using gin (store_hash, sku gin_trgm_ops);
drop index concurrently if exists catalog_products_sku_trgm;
alter index catalog_products_sku_trgm_by_store rename to catalog_products_sku_trgm;

drop index concurrently if exists catalog_variants_sku_trgm_by_store;
create index concurrently catalog_variants_sku_trgm_by_store on catalog_variants using gin (store_hash, sku gin_trgm_ops);
drop index concurrently if exists catalog_variants_sku_trgm;
alter index catalog_variants_sku_trgm_by_store rename to catalog_variants_sku_trgm;
