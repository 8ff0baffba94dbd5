/** A fresh, migrated PostgreSQL database per test file, cloned from the template built in global setup. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';

const TEMPLATE_DATABASE = 'backorder_template';

export interface TestDatabase extends Database {
  url: string;
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests with `npm test`');
  return url;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (no migrations) and returns its URL. */
export async function createEmptyDatabase(): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Opens a new database holding the current schema and no rows. */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  // CREATE DATABASE ... TEMPLATE needs the template to have no other sessions; retry briefly if it has.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((client) => client.query(`create database ${name} template ${TEMPLATE_DATABASE}`));
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: options.poolSize ?? 5 });
  return Object.assign(database, { url: url.toString() });
}

/**
 * A fresh database for the test file, opened before its tests and closed after them:
 * `const database = useTestDatabase();` then `database.db` inside tests.
 */
export function useTestDatabase(options: { poolSize?: number } = {}): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as TestDatabase, {
    get(_target, property) {
      if (!current) throw new Error('useTestDatabase(): the database is opened in beforeAll; use it inside tests');
      const value = Reflect.get(current, property);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
