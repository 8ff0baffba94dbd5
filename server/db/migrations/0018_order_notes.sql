-- Orders whose BackOrder note is in BigCommerce: every later delivery for the order asks for the note
-- again, and this answers it without reading the order from BigCommerce.
create table order_notes (
  store_hash text not null references stores (store_hash) on delete cascade,
  order_id bigint not null,
  noted_at timestamptz not null default now(),
  primary key (store_hash, order_id)
);
