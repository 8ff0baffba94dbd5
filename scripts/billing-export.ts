/**
 * `npm run billing-export -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--store HASH]`: prints the billing
 * ledger as CSV on standard output (charges created from `--from`, before `--to`).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config.ts';
import { configuredDatabase, openDatabase } from '../server/db/database.ts';
import { schemaForCommand } from '../server/db/migrate.ts';
import { parseDate } from '../server/inventory/item-values.ts';
import { exportBillingCsv } from '../server/plans/billing-export.ts';

function date(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDate(value);
  if (!parsed.ok) throw new Error(`${flag}: ${parsed.message}`);
  return new Date(`${parsed.value}T00:00:00Z`);
}

try {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, store: { type: 'string' } } });
  const config = loadConfig();
  const database = await openDatabase(configuredDatabase(config));
  try {
    await schemaForCommand(database.db, config.migrateOnStart);
    process.stdout.write(await exportBillingCsv(database.db, { from: date(values.from, '--from'), to: date(values.to, '--to'), storeHash: values.store }));
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(1);
}
