-- What makes BigCommerce's signed callbacks and the admin's sessions safe to rely on (issue 11).

-- A signed payload (/load, /uninstall, /remove_user) works once: its jti is recorded until it expires,
-- shared by every web process. The housekeeping job deletes the expired ones.
create table used_signed_payloads (
  jti text primary key,
  store_hash text not null,
  expires_at timestamptz not null,
  used_at timestamptz not null default now()
);
create index used_signed_payloads_expiry on used_signed_payloads (expires_at);

alter table stores
  -- Which installation of the app this is: a reinstall after an uninstall starts the next one, and admin
  -- sessions name the installation they were opened in.
  add column installation integer not null default 1,
  -- The id of the key whose secret the store's hooks were last registered with; null for hooks registered
  -- before secrets had a key of their own (they carry the secret made with the raw ENCRYPTION_KEY).
  add column webhook_secret_key_id text;

alter table store_users
  -- A user the owner removed keeps a row: payloads issued up to removed_payload_iat (BigCommerce's clock)
  -- are refused, and access_generation (carried by sessions) moved on, so the user's sessions end.
  add column removed_at timestamptz,
  add column removed_payload_iat bigint,
  add column access_generation integer not null default 1;
