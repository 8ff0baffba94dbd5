-- Switching the store's limit mode (flexible ↔ strict) moves every assigned product over in a store job.
alter table jobs drop constraint jobs_kind_check;
alter table jobs add constraint jobs_kind_check
  check (kind in ('install', 'catalog-sync', 'release-all', 'assign', 'unassign', 'import', 'sync', 'limit-mode'));
