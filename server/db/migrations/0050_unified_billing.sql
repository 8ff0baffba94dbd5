-- Plans charged through BigCommerce Unified Billing. The store's plan follows the subscription BigCommerce
-- reports active; the billing ledger records what BigCommerce reported (it no longer computes charges).
alter table store_plans
  -- The subscription that grants the plan, as BigCommerce last reported it.
  add column subscription_id text,
  add column billing_interval text,
  add column price_cents integer,
  -- BigCommerce's cancelledAt: the last paid day of a cancelled subscription.
  add column cancelled_at timestamptz,
  add column synced_at timestamptz;

-- Checkouts the app created; the merchant accepts them in the control panel. A link lasts 24 hours.
create table plan_checkouts (
  id bigserial primary key,
  store_hash text not null references stores (store_hash) on delete cascade,
  checkout_id text not null,
  plan_id text not null,
  billing_interval text not null check (billing_interval in ('MONTH', 'ANNUAL')),
  price_cents integer not null check (price_cents >= 0),
  -- Set for a change of an existing subscription, and once BigCommerce completed a new one.
  subscription_id text,
  checkout_url text not null,
  -- open: waiting for the merchant or for BigCommerce; applied: the plan changed; replaced: a newer link
  -- took its place (expired, or another plan chosen).
  state text not null default 'open' check (state in ('open', 'applied', 'replaced')),
  bigcommerce_status text not null default 'PENDING',
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  checked_at timestamptz,
  unique (store_hash, checkout_id)
);
create index plan_checkouts_open on plan_checkouts (store_hash) where state = 'open';

alter table billing_charges drop constraint billing_charges_kind_check;
alter table billing_charges add constraint billing_charges_kind_check
  check (kind in ('subscription', 'upgrade', 'renewal', 'change', 'cancellation', 'ended'));
alter table billing_charges
  add column subscription_id text,
  add column billing_interval text,
  add column bigcommerce_status text;
