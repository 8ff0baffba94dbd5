-- Foundation: stores and their users, per-store settings, and the durable record of webhook events.
-- Every table is keyed by store_hash; unique keys are what make repeated deliveries idempotent.

create table stores (
  store_hash text primary key check (store_hash ~ '^[a-z0-9]{1,32}$'),
  status text not null default 'active' check (status in ('active', 'uninstalled')),
  -- AES-256-GCM ciphertext of the OAuth access token (iv.tag.data, base64); null once uninstalled.
  access_token_ciphertext text,
  scope text not null default '',
  owner_user_id integer,
  owner_email text,
  installed_at timestamptz not null default now(),
  uninstalled_at timestamptz,
  -- When an uninstalled store's data may be purged.
  purge_after timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table store_users (
  store_hash text not null references stores (store_hash) on delete cascade,
  user_id integer not null,
  email text not null,
  locale text,
  is_owner boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz,
  primary key (store_hash, user_id)
);

-- Only what a merchant changed is stored; defaults live in server/settings/settings.schema.ts, so a
-- better default reaches every store that never chose otherwise.
create table store_settings (
  store_hash text primary key references stores (store_hash) on delete cascade,
  overrides jsonb not null default '{}'::jsonb check (jsonb_typeof(overrides) = 'object'),
  updated_at timestamptz not null default now()
);

-- Every delivery is recorded before it is acknowledged. BigCommerce repeats `hash` for every later event
-- about the same resource, so the key is store + scope + hash + created_at.
create table webhook_events (
  id bigserial primary key,
  store_hash text not null,
  scope text not null,
  hash text not null,
  event_created_at bigint not null,
  payload jsonb not null,
  status text not null default 'received' check (status in ('received', 'processed', 'failed', 'ignored')),
  attempts integer not null default 0,
  last_error text,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  unique (store_hash, scope, hash, event_created_at)
);

create index webhook_events_pending on webhook_events (received_at) where status = 'received';
create index webhook_events_finished on webhook_events (processed_at) where status in ('processed', 'ignored');
