/**
 * The operator's pages: every store with its install state and last reconcile, and the queues (bull-board)
 * with failed jobs and retry — all refused without OPERATOR_TOKEN.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { TEST_OPERATOR_TOKEN } from '../../helpers/config.ts';
import { createStore } from '../../helpers/inventory.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

const withToken = { Authorization: `Bearer ${TEST_OPERATOR_TOKEN}` };

describe('the operator pages', () => {
  it('when requested without the operator token, then every operator page and action answers 401 and asks for it', async () => {
    const job = await app.queues.housekeeping.add('no-such-work', {}, { attempts: 1 });
    for (const [method, path] of [
      ['GET', '/operator'],
      ['GET', '/operator/queues'],
      ['GET', '/operator/queues/api/queues'],
      ['PUT', `/operator/queues/api/queues/housekeeping/${job.id}/retry`],
      ['PUT', '/operator/queues/api/queues/housekeeping/retry/failed'],
      ['GET', '/metrics'],
    ] as const) {
      const response = await fetch(`${app.url}${path}`, { method, headers: { Authorization: 'Bearer wrong-token-wrong-token-wrong' } });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      const bare = await fetch(`${app.url}${path}`, { method });
      expect(bare.status, `${method} ${path}`).toBe(401);
    }
  });

  it('when a store is installed, another uninstalled, and a reconcile fixed something, then /operator lists both with their state and the fixes', async () => {
    const db = app.database.db;
    await createStore(db, 'opsactive');
    await createStore(db, 'opsgone');
    await db
      .updateTable('stores')
      .set({ status: 'uninstalled', uninstalled_at: new Date('2026-11-01T10:00:00Z'), purge_after: new Date('2026-12-01T10:00:00Z') })
      .where('store_hash', '=', 'opsgone')
      .execute();
    await db
      .insertInto('reconcile_runs')
      .values({
        store_hash: 'opsactive',
        started_at: new Date('2026-12-02T03:00:00Z'),
        finished_at: new Date('2026-12-02T03:01:00Z'),
        fixes: ['item 7: stock 5 → 4 (the ledger says 4)'],
      })
      .execute();

    const response = await fetch(`${app.url}/operator`, { headers: withToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    const row = (store: string) => html.slice(html.indexOf(`data-store="${store}"`), html.indexOf('</tr>', html.indexOf(`data-store="${store}"`)));
    expect(row('opsactive')).toMatch(/installed .* \(no token\)/);
    expect(row('opsactive')).toContain('2026-12-02 03:00 UTC');
    expect(row('opsactive')).toContain('item 7: stock 5 → 4 (the ledger says 4)');
    expect(row('opsgone')).toContain('uninstalled 2026-11-01 10:00 UTC; purged after 2026-12-01 10:00 UTC');
    expect(row('opsgone')).toMatch(/never/);
  });

  it('when more stores are installed than the page lists, then it says how many it shows of how many, and a search finds any store', async () => {
    const db = app.database.db;
    await sql`insert into stores (store_hash, name, installed_at)
              select 'opsmany' || n, 'Many ' || n, now() - n * interval '1 minute' from generate_series(1, 501) n`.execute(db);
    const page = async (q?: string) => (await fetch(`${app.url}/operator${q ? `?q=${encodeURIComponent(q)}` : ''}`, { headers: withToken })).text();
    const count = (html: string) => /data-store-count>([^<]*)</.exec(html)?.[1];
    const rows = (html: string) => [...html.matchAll(/data-store="([^"]+)"/g)].map((m) => m[1]);

    const all = await page();
    expect(rows(all)).toHaveLength(500);
    expect(count(all)).toMatch(/^The 500 most recently installed of \d{3},?\d* stores: search by hash or name to find another\.$/);
    expect(rows(all)).not.toContain('opsmany501');

    const oldest = await page('opsmany501');
    expect(rows(oldest)).toEqual(['opsmany501']);
    expect(count(oldest)).toBe('1 store matching “opsmany501”.');
    expect(rows(await page('Many 50'))).toEqual(expect.arrayContaining(['opsmany50', 'opsmany500', 'opsmany501']));
    expect(await page('no such store')).toContain('No store matches “no such store”.');
    // Typed as it is: a % is not a wildcard.
    expect(rows(await page('opsmany%1'))).toEqual([]);
  });

  it('when a job failed, then bull-board lists it among the failed with its error, and its retry runs it again', async () => {
    const job = await app.queues.housekeeping.add('no-such-work', {}, { attempts: 1 });
    await expect.poll(() => job.getState(), { timeout: 15_000 }).toBe('failed');

    const page = await fetch(`${app.url}/operator/queues`, { headers: withToken });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script/);
    const listed = await fetch(`${app.url}/operator/queues/api/queues?activeQueue=housekeeping&status=failed`, { headers: withToken });
    expect(listed.status).toBe(200);
    const { queues } = (await listed.json()) as { queues: Array<{ name: string; jobs: Array<{ id: string; failedReason: string }> }> };
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining(['webhooks', 'store-jobs', 'reconcile', 'housekeeping']));
    const failed = queues.find((q) => q.name === 'housekeeping')!.jobs.find((j) => j.id === job.id);
    expect(failed?.failedReason).toMatch(/Unknown housekeeping job "no-such-work"/);

    const retry = await fetch(`${app.url}/operator/queues/api/queues/housekeeping/${job.id}/retry`, { method: 'PUT', headers: withToken });
    expect(retry.status).toBe(204);
    await expect.poll(async () => (await app.queues.housekeeping.getJob(job.id!))?.attemptsStarted, { timeout: 15_000 }).toBe(2);
  }, 40_000);

  it('when no OPERATOR_TOKEN is configured, then the operator pages and /metrics refuse everyone, saying how to turn them on', async () => {
    const bare = await startTestApp({ workers: false, config: { operatorToken: undefined } });
    try {
      for (const path of ['/operator', '/operator/queues', '/metrics']) {
        const response = await fetch(`${bare.url}${path}`, { headers: withToken });
        expect(response.status).toBe(403);
        expect(await response.text()).toMatch(/set OPERATOR_TOKEN/);
      }
    } finally {
      await bare.stop();
    }
  });
});
