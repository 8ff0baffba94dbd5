-- migrate: no transaction
-- The unassign form's key, drawn afresh each time the page is shown, kept on the assignments its post marked:
-- the same form posted again (a double click, the back button) finds them and answers as its first post did,
-- rather than "0 products unassigned" or "not assigned". Cleared when BigCommerce refuses the unassign for
-- good, so that the form can be sent again. Built concurrently: stores keep assigning meanwhile.
alter table assignments add column if not exists unassign_key uuid;
drop index concurrently if exists assignments_by_unassign_key;
create index concurrently assignments_by_unassign_key on assignments (store_hash, unassign_key) where unassign_key is not null;
