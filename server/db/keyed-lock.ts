/**
 * Mutual exclusion by key across every process of a deployment, for work that must not interleave and
 * that talks to BigCommerce in the middle (so a row lock in an open transaction would be held too long).
 * On a PostgreSQL server: a session advisory lock on a connection reserved for the work. On embedded
 * PGlite there is only one process, and its single connection must stay free for others: an in-process
 * mutex does the job.
 */
import { sql } from 'kysely';
import type { Database, Db } from './database.ts';

export interface KeyedLock {
  /** Runs `work` while holding `key`; `db` is the connection to use inside. */
  run<T>(key: string, work: (db: Db) => Promise<T>): Promise<T>;
}

/** Mutual exclusion by key within this process: each `run` of a key starts once the one before it has ended. */
export function keyedMutex(): { run<T>(key: string, work: () => Promise<T>): Promise<T> } {
  const tails = new Map<string, Promise<void>>();
  return {
    async run(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      await previous;
      try {
        return await work();
      } finally {
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}

function processLock(db: Db): KeyedLock {
  const mutex = keyedMutex();
  return { run: (key, work) => mutex.run(key, () => work(db)) };
}

function advisoryLock(db: Db): KeyedLock {
  return {
    run(key, work) {
      return db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(hashtextextended(${key}, 0))`.execute(connection);
        try {
          return await work(connection);
        } finally {
          await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(connection);
        }
      });
    },
  };
}

/** The lock that fits the database engine. */
export function keyedLock(database: Pick<Database, 'db' | 'engine'>): KeyedLock {
  return database.engine === 'pglite' ? processLock(database.db) : advisoryLock(database.db);
}
