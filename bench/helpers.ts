/** Shared set-up for benchmarks. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A new, empty database on the benchmark's PostgreSQL server; the app migrates it on start. */
export async function freshDatabaseUrl(adminUrl: string): Promise<string> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
