-- Long work a merchant waits for (install, catalog sync, releasing every product, later imports): one row
-- per run, the admin's progress bar reads it. The BullMQ job carries only the store hash and this row's id.
create table jobs (
  id bigserial primary key,
  store_hash text not null references stores (store_hash) on delete cascade,
  kind text not null check (kind in ('install', 'catalog-sync', 'release-all')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  progress_done integer not null default 0 check (progress_done >= 0),
  -- null while the amount of work is not known yet (the bar shows activity without a percentage).
  progress_total integer check (progress_total >= 0),
  message text not null default '',
  error text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);

-- One unfinished run per store and kind: asking again while one runs finds the running one.
create unique index jobs_one_open_per_kind on jobs (store_hash, kind) where status in ('queued', 'running');
create index jobs_by_store on jobs (store_hash, id desc);
