-- The text BigCommerce was given to show on a variant whose selling the app stopped. A merchant who words it
-- anew on Settings gets it on the variants stopped already: a selling check rewrites a hold whose text is no
-- longer the store's. Null: a hold applied before this was recorded, rewritten by its next check.
alter table purchasing_holds add column message text;
