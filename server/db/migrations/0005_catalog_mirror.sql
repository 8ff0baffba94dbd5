-- The catalog mirror: each store's products, variants, categories and brands as last read from
-- BigCommerce, for the admin's product lists and filters. sync_job_id is the sync run that last saw the
-- row; a completed run deletes the rows it did not see (they disappeared from BigCommerce).
-- Search by name or SKU anywhere in the text uses trigram indexes (pg_trgm; PGlite loads it too).
create extension if not exists pg_trgm;

create table catalog_products (
  store_hash text not null references stores (store_hash) on delete cascade,
  product_id integer not null,
  name text not null,
  sku text not null default '',
  is_visible boolean not null,
  availability text not null check (availability in ('available', 'disabled', 'preorder')),
  inventory_tracking text not null check (inventory_tracking in ('none', 'product', 'variant')),
  -- Product-level stock; meaningful when inventory_tracking = 'product'.
  inventory_level integer not null default 0,
  -- Sum of the variants' stock; meaningful when inventory_tracking = 'variant'.
  variants_inventory_level bigint not null default 0,
  variant_count integer not null default 0,
  category_ids integer[] not null default '{}',
  brand_id integer,
  date_modified timestamptz,
  sync_job_id bigint,
  synced_at timestamptz not null default now(),
  primary key (store_hash, product_id)
);
create index catalog_products_by_name on catalog_products (store_hash, lower(name), product_id);
create index catalog_products_name_trgm on catalog_products using gin (name gin_trgm_ops);
create index catalog_products_sku_trgm on catalog_products using gin (sku gin_trgm_ops);
create index catalog_products_visibility on catalog_products (store_hash, is_visible, lower(name), product_id);
create index catalog_products_availability on catalog_products (store_hash, availability, lower(name), product_id);
create index catalog_products_categories on catalog_products using gin (category_ids);

create table catalog_variants (
  store_hash text not null,
  variant_id integer not null,
  product_id integer not null,
  sku text not null default '',
  -- "Size: L, Colour: Red"; empty for the base variant of a product without options.
  option_labels text not null default '',
  inventory_level integer not null default 0,
  purchasing_disabled boolean not null default false,
  primary key (store_hash, variant_id),
  foreign key (store_hash, product_id) references catalog_products (store_hash, product_id) on delete cascade
);
create index catalog_variants_product on catalog_variants (store_hash, product_id);
create index catalog_variants_sku_trgm on catalog_variants using gin (sku gin_trgm_ops);

create table catalog_categories (
  store_hash text not null references stores (store_hash) on delete cascade,
  category_id integer not null,
  parent_id integer not null default 0,
  name text not null,
  is_visible boolean not null default true,
  sync_job_id bigint,
  primary key (store_hash, category_id)
);

create table catalog_brands (
  store_hash text not null references stores (store_hash) on delete cascade,
  brand_id integer not null,
  name text not null,
  sync_job_id bigint,
  primary key (store_hash, brand_id)
);
