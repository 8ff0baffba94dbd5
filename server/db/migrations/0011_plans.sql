-- Plans and billing. A store is on one plan; a paid plan runs in monthly cycles. Upgrades take effect at
-- once with a prorated charge; downgrades wait for the end of the cycle. Collecting payment is out of
-- scope: the billing ledger records what is owed, for the operator to export.
create table store_plans (
  store_hash text primary key references stores (store_hash) on delete cascade,
  plan_id text not null default 'free',
  -- The current billing cycle; null on the free plan.
  cycle_started_at timestamptz,
  cycle_ends_at timestamptz,
  -- A downgrade waiting for the end of the cycle.
  pending_plan_id text,
  updated_at timestamptz not null default now(),
  check ((cycle_started_at is null) = (cycle_ends_at is null))
);

create table billing_charges (
  id bigserial primary key,
  store_hash text not null,
  kind text not null check (kind in ('subscription', 'upgrade', 'renewal')),
  plan_id text not null,
  from_plan_id text,
  amount_cents integer not null check (amount_cents >= 0),
  period_start timestamptz not null,
  period_end timestamptz not null,
  description text not null,
  idempotency_key text not null,
  created_at timestamptz not null default now(),
  unique (store_hash, idempotency_key)
);
create index billing_charges_created on billing_charges (created_at);
