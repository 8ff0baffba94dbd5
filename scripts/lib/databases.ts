/**
 * Databases made on a PostgreSQL server through its superuser URL, for tests and benchmarks: each gets a
 * random name, empty or copied from a template, and is left for the throwaway server to take with it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Runs `work` on a connection to the database of `adminUrl`, closed after. */
export async function withAdminClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a database `<prefix>_<random>`, empty or a copy of `template`, and returns its URL. */
export async function createDatabase(adminUrl: string, options: { prefix?: string; template?: string } = {}): Promise<string> {
  const name = `${options.prefix ?? 't'}_${randomBytes(6).toString('hex')}`;
  const template = options.template ? ` template ${options.template}` : '';
  await withAdminClient(adminUrl, (client) => client.query(`create database ${name}${template}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
