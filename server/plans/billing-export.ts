/** The billing ledger as CSV, for the operator to invoice from (collecting payment is out of scope). */
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
];

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
    ]),
  );
}
