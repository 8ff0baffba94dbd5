-- Assigning and unassigning, kept in step with BigCommerce. BigCommerce has no transactions and takes 10
-- products a request, so the database step commits first and BigCommerce follows in a resumable job; each
-- assignment says where it stands:
--   assigning    the items exist; BigCommerce still tracks the product (the job saves its tracking mode and
--                availability, then turns tracking off, then marks it active);
--   active       BigCommerce confirmed: tracking is off, the app holds the stock;
--   unassigning  the merchant released it; the job hands the product back (tracking restored and/or not
--                purchasable, per the choices below), then releases it (released_at).
-- A product BigCommerce refuses for good is released with the reason, so the merchant sees what happened.
alter table assignments
  add column state text not null default 'active' check (state in ('assigning', 'active', 'unassigning')),
  add column unassign_restore_tracking boolean not null default false,
  add column unassign_not_purchasable boolean not null default false,
  -- The last refusal from BigCommerce while the job retries, shown beside the product.
  -- false until the job has read the product's tracking mode and availability from BigCommerce itself (the
  -- catalog mirror's copy may be stale); once saved they are never overwritten, so a retry after tracking
  -- went off does not save "none".
  add column settings_saved boolean not null default true,
  add column bigcommerce_error text,
  add column state_changed_at timestamptz not null default now();
create index assignments_pending on assignments (store_hash, id) where state in ('assigning', 'unassigning') and released_at is null;
create index assignments_released on assignments (store_hash, released_at desc) where released_at is not null;

-- Assign and unassign run on the store-jobs queue like the other long work; imports too.
alter table jobs drop constraint jobs_kind_check;
alter table jobs add constraint jobs_kind_check
  check (kind in ('install', 'catalog-sync', 'release-all', 'assign', 'unassign', 'import', 'sync'));

-- A CSV upload waiting for (or kept after) its import job. The file lives here, not on a web server's disk,
-- so a worker on another machine can read it; it is deleted once the import has run.
create table imports (
  id bigserial primary key,
  store_hash text not null references stores (store_hash) on delete cascade,
  job_id bigint,
  mode text not null check (mode in ('assign', 'update')),
  -- "import to update": the columns that overwrite; the others keep their values.
  columns text[] not null default '{}',
  filename text not null default '',
  content bytea,
  byte_size integer not null default 0,
  -- Every bad row (line, column, reason), when validation refused the file.
  problems jsonb,
  rows_applied integer,
  created_at timestamptz not null default now(),
  unique (store_hash, id)
);
create index imports_by_store on imports (store_hash, id desc);

-- All Products filters: assigned or not is answered from the active assignments' unique index.
create index catalog_products_sku_lower on catalog_products (store_hash, lower(sku));
create index catalog_variants_sku_lower on catalog_variants (store_hash, lower(sku));
