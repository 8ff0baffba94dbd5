/** The billing ledger as CSV: what BigCommerce Unified Billing reported of each store's subscription. */
import type { Db } from '../db/database.ts';
import { toCsv } from '../csv/csv-write.ts';
import { listCharges } from './plans.repo.ts';

export const BILLING_EXPORT_HEADER = [
  'charge_id',
  'store_hash',
  'kind',
  'plan',
  'from_plan',
  'amount_usd',
  'period_start',
  'period_end',
  'description',
  'created_at',
  'subscription_id',
  'billing_interval',
  'bigcommerce_status',
];

/** The ledger's rows between two dates (of one store, or all), as CSV. */

export async function exportBillingCsv(db: Db, filter: { from?: Date; to?: Date; storeHash?: string } = {}): Promise<string> {
  const charges = await listCharges(db, filter);
  return toCsv(
    BILLING_EXPORT_HEADER,
    charges.map((c) => [
      c.id,
      c.store_hash,
      c.kind,
      c.plan_id,
      c.from_plan_id,
      (c.amount_cents / 100).toFixed(2),
      c.period_start,
      c.period_end,
      c.description,
      c.created_at,
      c.subscription_id,
      c.billing_interval,
      c.bigcommerce_status,
    ]),
  );
}
