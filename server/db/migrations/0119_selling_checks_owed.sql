-- Selling checks given up while BigCommerce was away (their tries, half an hour to an hour, ran out). The selling
-- sweep looks only at recent changes, so such an item would sell beyond its limit (or stay stopped) until the
-- nightly reconcile: the sweep asks again for every item owed a check, whatever the age of its change, and
-- forgets the row once it has asked. A check given up again leaves a row again.
create table selling_checks_owed (
  store_hash text not null references stores (store_hash) on delete cascade,
  item_id bigint not null,
  given_up_at timestamptz not null default now(),
  primary key (store_hash, item_id),
  foreign key (store_hash, item_id) references inventory_items (store_hash, id)
);
