-- migrate: no transaction
-- The Import form's key, drawn afresh each time the page is shown: the same form posted again (a double
-- click, the back button) stores nothing and shows the import its first post stored, rather than reading
-- the file twice (and refusing the second copy for the products the first assigned). Unique per store, so
-- that a second post arriving while the first is still storing its file waits for it and finds it.
alter table imports add column if not exists upload_key uuid;
drop index concurrently if exists imports_by_upload_key;
create unique index concurrently imports_by_upload_key on imports (store_hash, upload_key) where upload_key is not null;
