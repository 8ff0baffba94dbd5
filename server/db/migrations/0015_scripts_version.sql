-- The version of the storefront bundle whose scripts a store has registered: a new build (a deploy) is
-- registered again in every store whose version differs.
alter table stores add column scripts_version text;
