/** A fresh, migrated PostgreSQL database per test file, cloned from the template built in global setup. */
import { afterAll, beforeAll } from 'vitest';
import { createDatabase } from '../../scripts/lib/databases.ts';
import type { KyselyPlugin } from 'kysely';
import { openDatabase, type Database, type Db } from '../../server/db/database.ts';
import { TEMPLATE_DATABASE } from './global-setup.ts';

export interface TestDatabase extends Database {
  url: string;
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests with `npm test`');
  return url;
}

/** Creates an empty database (no migrations) and returns its URL. */
export function createEmptyDatabase(): Promise<string> {
  return createDatabase(adminUrl());
}

/** Opens a new database holding the current schema and no rows. */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  let url: string;
  // CREATE DATABASE ... TEMPLATE needs the template to have no other sessions; retry briefly if it has.
  for (let attempt = 0; ; attempt++) {
    try {
      url = await createDatabase(adminUrl(), { template: TEMPLATE_DATABASE });
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const database = await openDatabase({ databaseUrl: url, poolSize: options.poolSize ?? 5 });
  return Object.assign(database, { url });
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

/** `db`, recording every statement made through it (transactions included) as its query tree in JSON. */
export function recordingStatements(db: Db): { db: Db; statements: string[] } {
  const statements: string[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: ({ node }) => (statements.push(JSON.stringify(node)), node),
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(recorder), statements };
}
