/**
 * `npm run cli -- <command>`: the operator's commands, against the deployment's PostgreSQL and Redis (the
 * same DATABASE_URL and REDIS_URL as web and workers). Long work shows a progress bar (on stderr) and every
 * command ends with one summary line (on stdout); the exit code says whether it succeeded.
 *
 *   sync <store>               a catalog and stock-level sync, run by the workers as the admin's Sync button runs it
 *   reconcile [<store>]        prove and heal every installed store (or one), as `npm run reconcile`
 *   replay-webhooks <store>    process the store's failed webhook events again
 *   export <store> [--out DIR] the store's assigned items, stock ledger and backorder lines as CSV files
 *   purge <store>              delete an uninstalled store's data now, before PURGE_AFTER_DAYS runs out
 */
import { appendFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { configuredDatabase, openDatabase, type Database } from '../server/db/database.ts';
import { findJob } from '../server/jobs/jobs.repo.ts';
import { queueStoreJob } from '../server/jobs/jobs.service.ts';
import { exportSize, exportStore, EXPORT_FILES } from '../server/operator/store-export.service.ts';
import { createLogger } from '../server/logger.ts';
import { createRedis, waitUntilReady } from '../server/redis.ts';
import { findStore } from '../server/stores/stores.repo.ts';
import { purgeUninstalledStoreNow } from '../server/stores/store-purge.service.ts';
import { replayFailedEvents } from '../server/webhooks/webhooks.service.ts';
import { createQueues, type Queues } from '../server/workers/queues.ts';
import { reconcileStores, UnknownStoreError } from './lib/reconcile-stores.ts';

const USAGE = `usage: npm run cli -- <command>
  sync <store>                a catalog and stock-level sync (the workers run it; this follows it)
  reconcile [<store>]         prove and heal every installed store, or one
  replay-webhooks <store>     process the store's failed webhook events again
  export <store> [--out DIR]  assignments.csv, ledger.csv, backorder-lines.csv (default DIR: ./export-<store>)
  purge <store>               delete an uninstalled store's data now`;

/** A command's outcome: its summary line, and whether it succeeded. */
interface Outcome {
  summary: string;
  ok: boolean;
}

/** A progress bar on stderr, drawn also when stderr is no terminal (a log), every few seconds there. */
function progressBar(label: string): SingleBar {
  return new SingleBar({
    format: `${label} [{bar}] {value}/{total} {percentage}% {message}`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 2_000,
    hideCursor: true,
  });
}

/** Opens what a command needs; `close` undoes it. */
async function openServices(config: Config, withRedis: boolean): Promise<{ database: Database; queues?: Queues; close(): Promise<void> }> {
  const database = await openDatabase(configuredDatabase(config));
  if (!withRedis) return { database, close: () => database.close() };
  if (!config.redisUrl) {
    await database.close();
    throw new ConfigError(['REDIS_URL: required by this command: it queues work for the workers']);
  }
  const redis = createRedis(config.redisUrl, 'producer', 'backorder-cli');
  await waitUntilReady(redis, config.redisUrl);
  // Quiet but for trouble: the command's own lines are its output.
  const queues = createQueues(redis, config.queuePrefix, createLogger({ level: 'warn' }));
  return {
    database,
    queues,
    async close() {
      await queues.close();
      redis.disconnect();
      await database.close();
    },
  };
}

/** The store named, or an error naming it: the operator may have mistyped it. */
async function requireStore(database: Database, storeHash: string | undefined) {
  if (!storeHash) throw new UsageError('name the store: its hash, as in the operator page (/operator)');
  const store = await findStore(database.db, storeHash);
  if (!store) throw new UsageError(`no store "${storeHash}" in this database`);
  return store;
}

class UsageError extends Error {}

/** `--timeout`, a whole number of seconds: anything else would make the wait endless or instant. */
function secondsFrom(text: string): number {
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1) throw new UsageError(`--timeout: "${text}" is not a whole number of seconds from 1`);
  return seconds;
}

async function sync(config: Config, storeHash: string | undefined, timeoutS: number): Promise<Outcome> {
  const services = await openServices(config, true);
  try {
    const store = await requireStore(services.database, storeHash);
    if (store.status !== 'active') return { ok: false, summary: `${store.store_hash}: not installed — nothing to sync` };
    const { job, alreadyOpen } = await queueStoreJob(services.database.db, services.queues!.storeJobs, store.store_hash, 'sync', 'Waiting to start');
    if (alreadyOpen) console.error(`${store.store_hash}: a sync is already under way; following it`);
    const bar = progressBar(`sync ${store.store_hash}`);
    bar.start(1, 0, { message: 'waiting for a worker' });
    const deadline = Date.now() + timeoutS * 1000;
    try {
      for (;;) {
        const row = (await findJob(services.database.db, store.store_hash, job.id))!;
        bar.setTotal(Math.max(row.progress_total ?? 1, 1));
        bar.update(row.progress_done, { message: row.message });
        if (row.status === 'succeeded') return { ok: true, summary: `${store.store_hash}: ${row.message}` };
        if (row.status === 'failed') return { ok: false, summary: `${store.store_hash}: sync failed — ${row.error ?? row.message}` };
        if (Date.now() > deadline)
          return {
            ok: false,
            summary: `${store.store_hash}: the sync did not finish within ${timeoutS} s (is a worker running?); it goes on in the background`,
          };
        await sleep(250);
      }
    } finally {
      bar.stop();
    }
  } finally {
    await services.close();
  }
}

async function reconcile(storeHash: string | undefined): Promise<Outcome> {
  const bar = progressBar('reconcile');
  let started = false;
  const lines: string[] = [];
  const { stores, failed } = await reconcileStores(storeHash, {
    print: (line) => lines.push(line),
    error: (line) => lines.push(line),
    storeDone(done, total) {
      if (!started) bar.start(total, 0, { message: '' });
      started = true;
      bar.update(done);
    },
  }).catch((error: unknown) => {
    throw error instanceof UnknownStoreError ? new UsageError(error.message) : error;
  });
  if (started) bar.stop();
  for (const line of lines) console.error(line);
  return { ok: failed === 0, summary: `reconciled ${stores - failed} store${stores - failed === 1 ? '' : 's'}, ${failed} failed` };
}

async function replay(config: Config, storeHash: string | undefined): Promise<Outcome> {
  const services = await openServices(config, true);
  try {
    const store = await requireStore(services.database, storeHash);
    const bar = progressBar(`replay ${store.store_hash}`);
    const count = await replayFailedEvents(services.database.db, services.queues!.webhooks, store.store_hash, (done, total) => {
      if (done === 1) bar.start(total, 0, { message: '' });
      bar.update(done);
    }).finally(() => bar.stop());
    return { ok: true, summary: `${store.store_hash}: ${count} failed webhook event${count === 1 ? '' : 's'} queued again for the workers` };
  } finally {
    await services.close();
  }
}

async function exportData(config: Config, storeHash: string | undefined, out: string | undefined): Promise<Outcome> {
  const services = await openServices(config, false);
  try {
    const store = await requireStore(services.database, storeHash);
    const dir = path.resolve(out ?? `export-${store.store_hash}`);
    await mkdir(dir, { recursive: true });
    for (const file of Object.values(EXPORT_FILES)) await rm(path.join(dir, file), { force: true });
    const size = await exportSize(services.database.db, store.store_hash);
    const bar = progressBar(`export ${store.store_hash}`);
    bar.start(size.assignments + size.ledger + size.backorderLines, 0, { message: '' });
    const written = await exportStore(services.database.db, store.store_hash, {
      write: (file, text) => appendFile(path.join(dir, file), text),
      rows: (count) => bar.increment(count),
    }).finally(() => bar.stop());
    return {
      ok: true,
      summary: `${store.store_hash}: exported ${written.assignments} assigned items, ${written.ledger} ledger rows and ${written.backorderLines} backorder lines to ${dir}`,
    };
  } finally {
    await services.close();
  }
}

async function purge(config: Config, storeHash: string | undefined): Promise<Outcome> {
  const services = await openServices(config, false);
  try {
    const store = await requireStore(services.database, storeHash);
    const outcome = await purgeUninstalledStoreNow(services.database.db, store.store_hash);
    if (outcome === 'installed') return { ok: false, summary: `${store.store_hash}: still installed — only an uninstalled store's data can be purged` };
    return { ok: true, summary: `${store.store_hash}: purged — every row of the store is deleted (billing records are kept)` };
  } finally {
    await services.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, timeout: { type: 'string', default: '3600' } },
  });
  const [command, storeHash] = positionals;
  if (!command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  let outcome: Outcome;
  switch (command) {
    case 'sync':
      outcome = await sync(config, storeHash, secondsFrom(values.timeout));
      break;
    case 'reconcile':
      outcome = await reconcile(storeHash);
      break;
    case 'replay-webhooks':
      outcome = await replay(config, storeHash);
      break;
    case 'export':
      outcome = await exportData(config, storeHash, values.out);
      break;
    case 'purge':
      outcome = await purge(config, storeHash);
      break;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
  console.log(outcome.summary);
  return outcome.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
    else console.error(error instanceof ConfigError ? error.message : (error as Error).message);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
