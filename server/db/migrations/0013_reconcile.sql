-- Reconcile runs: when each store was last proven and healed, and what was fixed. The next run re-reads
-- the orders changed since the last one finished.
create table reconcile_runs (
  id bigserial primary key,
  store_hash text not null references stores (store_hash) on delete cascade,
  started_at timestamptz not null,
  finished_at timestamptz,
  fixes text[] not null default '{}',
  error text
);
create index reconcile_runs_latest on reconcile_runs (store_hash, started_at desc);
