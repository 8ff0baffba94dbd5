-- Stop / resume selling: when an item's salable quantity reaches 0 the app sets purchasing_disabled on
-- its variant(s) in BigCommerce, and lifts it when the salable quantity rises again. The app records what
-- it changed so that it undoes only its own changes: a variant the merchant had disabled is recorded as
-- not ours and is never re-enabled.
create table purchasing_holds (
  id bigserial primary key,
  store_hash text not null references stores (store_hash) on delete cascade,
  item_id bigint not null,
  product_id integer not null,
  variant_id integer not null,
  -- false: the variant was already disabled (by the merchant) when selling stopped; the app left it alone.
  disabled_by_app boolean not null,
  created_at timestamptz not null default now(),
  lifted_at timestamptz,
  foreign key (store_hash, item_id) references inventory_items (store_hash, id)
);
create unique index purchasing_holds_active on purchasing_holds (store_hash, item_id, variant_id) where lifted_at is null;
