/**
 * Once per vitest run: checks that PostgreSQL and Redis were provided, and builds the migrated template
 * database that every test file clones (fast, isolated, parallel-safe).
 */
import { withAdminClient } from '../../scripts/lib/databases.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';

export const TEMPLATE_DATABASE = 'backorder_template';

export default async function setup(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl || !process.env.REDIS_URL) {
    throw new Error('These tests need PostgreSQL and Redis: run them with `npm test` (it starts both), or set DATABASE_URL and REDIS_URL');
  }
  await withAdminClient(adminUrl, async (admin) => {
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE}`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE_DATABASE}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
  try {
    await migrate(database.db);
  } finally {
    await database.close();
  }
}
