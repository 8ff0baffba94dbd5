-- The text the app gave BigCommerce to show on a variant whose selling it stopped. A merchant who words it
-- anew on Settings gets it on the variants stopped already: a selling check rewrites a hold whose text is no
-- longer the store's, and reconcile looks for such holds every night. The app's holds applied before this
-- showed the store's message as it was (the built-in one: no screen could change it until now); a hold of a
-- variant the merchant had disabled shows the merchant's own text, none of the app's.
alter table purchasing_holds add column message text;
update purchasing_holds h
set message = coalesce(
  (select s.overrides -> 'inventory' ->> 'sellingStoppedMessage' from store_settings s where s.store_hash = h.store_hash),
  'Sold out: no more can be ordered for now.')
where h.disabled_by_app and h.applied_at is not null and h.lifted_at is null;
