/**
 * The operator's CLI, run as an operator runs it (`npm run cli -- <command>`) against the app installed in
 * the sandbox store: each command does its work and ends with one summary line; bad input is named.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.ts';
import { STORE_TABLES } from '../../../server/stores/store-purge.service.ts';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { createEmptyDatabase } from '../../helpers/database.ts';
import { createStore, stockOf } from '../../helpers/inventory.ts';
import { assignInSandbox, useInstalledApp } from '../../helpers/installed-app.ts';
import { ROOT, spawnCommand } from '../../helpers/processes.ts';
import { useTempFolders } from '../../helpers/temp-folders.ts';

const installed = useInstalledApp();
const tempFolder = useTempFolders();

const db = () => installed.app.database.db;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `npm run cli -- ...args` with the deployment's configuration; its exit code, stdout's last line and all its output. */
const cli = (...args: string[]) => npmRun('cli', args);

/** `npm run <script> -- ...args` with the deployment's configuration, and `env` over it. */
async function npmRun(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | string; summary: string; output: string }> {
  const { app, sandbox } = installed;
  const run = spawnCommand(npm, ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: app.config.databaseUrl,
      REDIS_URL: app.config.redisUrl,
      QUEUE_PREFIX: app.config.queuePrefix,
      CLIENT_ID: TEST_CLIENT_ID,
      CLIENT_SECRET: TEST_CLIENT_SECRET,
      ENCRYPTION_KEY: app.config.encryptionKey!.toString('hex'),
      APP_URL: app.url,
      BC_API_URL: sandbox.url,
      BC_LOGIN_URL: sandbox.url,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const code = await run.exited;
  const output = run.output();
  const lines = output.trim().split('\n');
  return { code, summary: lines[lines.length - 1] ?? '', output };
}

describe('npm run cli', () => {
  it('when an order took units, then `export` writes the assigned items in the import format, the ledger and the backorder lines', async () => {
    const [item] = await assignInSandbox(installed, 121, { threshold: 5, stock: 1 });
    installed.sandbox.store(installed.storeHash).placeOrder({ lines: [{ productId: 121, quantity: 3 }] });
    await expect.poll(async () => (await stockOf(db(), item!.id)).currentStock, { timeout: 30_000 }).toBe(-2);

    const out = await tempFolder('backorder-export-');
    const run = await cli('export', installed.storeHash, '--out', out);
    expect(run.code, run.output).toBe(0);
    expect(run.summary).toBe(`${installed.storeHash}: exported 1 assigned items, 1 ledger rows and 1 backorder lines to ${out}`);
    const [header, ...rows] = readFileSync(path.join(out, 'assignments.csv'), 'utf8').trim().split('\r\n');
    expect(header).toBe('sku,product_id,variant_id,current_stock,backorder_threshold,incoming_stock,back_in_stock_date');
    expect(rows).toEqual([expect.stringMatching(/^[^,]*,121,,-2,5,0,$/)]);
    const ledger = readFileSync(path.join(out, 'ledger.csv'), 'utf8').trim().split('\r\n');
    expect(ledger[0]).toMatch(/^id,created_at,item_id,sku,product_id,variant_id,reason,delta,stock_after,order_id/);
    expect(ledger[1]).toMatch(new RegExp(`,${item!.id},[^,]*,121,,order,-3,-2,\\d+,`));
    const lines = readFileSync(path.join(out, 'backorder-lines.csv'), 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',waiting,');
  }, 90_000);

  it('when the store’s events failed, then `replay-webhooks` queues them again and the workers process them', async () => {
    const processed = await db()
      .selectFrom('webhook_events')
      .select('id')
      .where('store_hash', '=', installed.storeHash)
      .where('status', '=', 'processed')
      .execute();
    expect(processed.length).toBeGreaterThan(0);
    const ids = processed.map((e) => e.id);
    await db().updateTable('webhook_events').set({ status: 'failed', last_error: 'BigCommerce answered 500' }).where('id', 'in', ids).execute();

    const run = await cli('replay-webhooks', installed.storeHash);
    expect(run.code, run.output).toBe(0);
    expect(run.summary).toBe(`${installed.storeHash}: ${ids.length} failed webhook event${ids.length === 1 ? '' : 's'} queued again for the workers`);
    await expect
      .poll(async () => (await db().selectFrom('webhook_events').select('status').where('id', 'in', ids).execute()).map((e) => e.status), { timeout: 30_000 })
      .toEqual(ids.map(() => 'processed'));
  }, 60_000);

  it('when `sync` runs, then the workers sync the catalog and it prints the sync’s own summary', async () => {
    const run = await cli('sync', installed.storeHash);
    expect(run.code, run.output).toBe(0);
    expect(run.summary).toMatch(new RegExp(`^${installed.storeHash}: Synced: .*assigned item`));
    expect(run.output).toMatch(/sync \S+ \[/); // the progress bar
  }, 90_000);

  it('when `reconcile` runs for every store, or for one, then it reconciles them and says how many', async () => {
    for (const args of [[], [installed.storeHash]]) {
      const run = await cli('reconcile', ...args);
      expect(run.code, run.output).toBe(0);
      expect(run.summary).toBe('reconciled 1 store, 0 failed');
      expect(run.output).toContain(`${installed.storeHash}:`);
    }
  }, 90_000);

  it('when `purge` names an installed store, then it refuses; an uninstalled one, then every row of it goes now', async () => {
    const refused = await cli('purge', installed.storeHash);
    expect(refused.code).toBe(1);
    expect(refused.summary).toBe(`${installed.storeHash}: still installed — only an uninstalled store's data can be purged`);

    const gone = await createStore(db(), 'leftstore');
    await db()
      .updateTable('stores')
      .set({ status: 'uninstalled', purge_after: new Date(Date.now() + 30 * 86_400_000) })
      .where('store_hash', '=', gone)
      .execute();
    await db().insertInto('webhook_events').values({ store_hash: gone, scope: 'store/order/created', hash: 'h', event_created_at: 1, payload: '{}' }).execute();
    const run = await cli('purge', gone);
    expect(run.code, run.output).toBe(0);
    expect(run.summary).toBe('leftstore: purged — every row of the store is deleted (billing records are kept)');
    for (const table of STORE_TABLES) {
      expect(await db().selectFrom(table).select('store_hash').where('store_hash', '=', gone).execute(), table).toEqual([]);
    }
  }, 60_000);

  it('when a command names no store or an unknown one, then it says which and shows the usage', async () => {
    const unknown = await cli('export', 'nosuchstore');
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/no store "nosuchstore" in this database\nusage: npm run cli -- <command>/);
    const bare = await cli('purge');
    expect(bare.code).toBe(2);
    expect(bare.output).toMatch(/name the store/);
  }, 30_000);

  it('when `reconcile` names a store the database does not hold, then it says so and fails as the other commands do, rather than count it reconciled', async () => {
    const unknown = await cli('reconcile', 'nosuchstore');
    expect(unknown.code, unknown.output).toBe(2);
    expect(unknown.output).toMatch(/no store "nosuchstore" in this database\nusage: npm run cli -- <command>/);
    expect(unknown.output).not.toMatch(/reconciled|skipped/);
    const script = await npmRun('reconcile', ['--store', 'nosuchstore']);
    expect(script.code, script.output).toBe(2);
    expect(script.summary).toBe('no store "nosuchstore" in this database');
  }, 30_000);

  it('when `sync` is given a timeout that is not a number of seconds, then it says so and shows the usage', async () => {
    const run = await cli('sync', installed.storeHash, '--timeout', 'abc');
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/--timeout: "abc" is not a whole number of seconds from 1\nusage: npm run cli -- <command>/);
  }, 30_000);

  it('when `billing-export` is given a date that does not exist, then it refuses it rather than export another period', async () => {
    const run = await npmRun('billing-export', ['--from', '2026-02-30']);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/--from: 2026-02-30 is not a real date/);
    const good = await npmRun('billing-export', ['--from', '2026-02-28']);
    expect(good.code).toBe(0);
  }, 30_000);
  it('when processes do not migrate (MIGRATE_ON_START=false) and the schema is behind, then `reconcile` and `billing-export` refuse, naming what is pending, and change nothing', async () => {
    const url = await createEmptyDatabase();
    for (const [script, args] of [
      ['cli', ['reconcile']],
      ['reconcile', []],
      ['billing-export', []],
    ] as const) {
      const run = await npmRun(script, [...args], { DATABASE_URL: url, MIGRATE_ON_START: 'false' });
      expect(run.code, `${script} ${args.join(' ')}`).toBe(1);
      expect(run.output).toMatch(/The database's schema is behind this code: \d+ migrations pending \(0001_foundation\.sql … .*\)\. Run npm run migrate first/);
    }
    const database = await openDatabase({ databaseUrl: url });
    try {
      const { rows } = await sql<{ name: string | null }>`select to_regclass('schema_migrations')::text as name`.execute(database.db);
      expect(rows[0]!.name).toBeNull();
    } finally {
      await database.close();
    }
  }, 60_000);
});
