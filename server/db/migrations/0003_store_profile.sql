-- What the app knows about an installed store besides its token: the profile read from BigCommerce's
-- /v2/store on install (shown in the admin, used to format dates in the store's time zone), and who
-- installed it. Uninstalled stores wait for the purge job, which looks them up by purge_after.

alter table stores
  add column store_id bigint,
  add column name text not null default '',
  add column domain text not null default '',
  add column secure_url text not null default '',
  add column control_panel_url text not null default '',
  add column timezone text not null default 'UTC',
  add column account_uuid text,
  add column profile_read_at timestamptz;

-- A webhook delivery names the store by its numeric id as well as by producer; either finds the row.
create unique index stores_store_id on stores (store_id) where store_id is not null;
create index stores_due_for_purge on stores (purge_after) where status = 'uninstalled';

alter table store_users add column username text not null default '';
