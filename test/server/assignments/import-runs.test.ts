/**
 * Import runs: files queued behind one another are each read, whatever became of the one before; a file
 * no run claimed (uploaded just as the last run ended) is read once its page is opened.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { findImport, finishImport, insertImport } from '../../../server/imports/imports.repo.ts';
import { markFinished, markStarted, openJob, updateProgress } from '../../../server/jobs/jobs.repo.ts';
import { queueStoreJob } from '../../../server/jobs/jobs.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { csrfIn, finishedJob, installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
let session: string;
const STORE = 'importruns1';

const waitingFile = (content: string, filename: string) =>
  insertImport(app.database.db, { storeHash: STORE, mode: 'assign', columns: ['current_stock'], filename, content: Buffer.from(content) });

const importRow = async (id: number) => (await findImport(app.database.db, STORE, id))!;

/** Waits until the import's file has been read (and dropped). */
async function readImport(id: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await importRow(id);
    if (!row.unread) return row;
    if (Date.now() > deadline) throw new Error(`import ${id} was never read (job ${row.job_id})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, { products: [601, 602, 603, 604, 605].map((id) => bcProduct({ id, name: `Vase ${id}`, sku: `VASE-${id}`, inventory_level: 1 })) });
  session = await installed(app, fake, STORE);
  admin = adminClient(app.url, session);
  await changePlan(app.database.db, STORE, 'starter');
});
afterAll(() => app?.stop());

describe('several files in one run', () => {
  it('when the first file is refused, then the file queued behind it is still read and the run fails naming both', async () => {
    const bad = await waitingFile('sku\nNOPE\n', 'bad.csv');
    const good = await waitingFile('sku\nVASE-601\n', 'good.csv');
    await queueStoreJob(app.database.db, app.queues.storeJobs, STORE, 'import', 'Waiting to read the files');
    const job = await finishedJob(app.database.db, STORE, 'import');
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/bad\.csv: Nothing was imported: 1 problem in the file\..*good\.csv: 1 row assigned\./);
    expect(await importRow(good)).toMatchObject({ unread: false, rows_applied: 1 });
    expect((await importRow(bad)).problems).toEqual([{ field: 'line 2, column sku', message: expect.stringMatching(/unknown SKU “NOPE”/) }]);
    const page = await admin.get(`/admin/imports/${good}`);
    expect(page.html).toContain('1 row assigned.');
  });
});

describe('a file no run claimed', () => {
  it('when a file waits with no import run open, then opening its page starts one and the file is read', async () => {
    const late = await waitingFile('sku\nVASE-602\n', 'late.csv');
    const before = await admin.get(`/admin/imports/${late}`);
    expect(before.status).toBe(200);
    expect(await readImport(late)).toMatchObject({ rows_applied: 1, problems: null });
  });
});

describe('files the reader refuses', () => {
  it('when a file has a broken quote, then it is refused at once naming the line the quote opens on, and the file behind it is read', async () => {
    const broken = await waitingFile('sku,current_stock\nVASE-601,1\n"VASE-602,2\nVASE-603,3\n', 'broken.csv');
    const next = await waitingFile('sku\nVASE-603\n', 'next.csv');
    const started = Date.now();
    await queueStoreJob(app.database.db, app.queues.storeJobs, STORE, 'import', 'Waiting to read the files');
    const job = await finishedJob(app.database.db, STORE, 'import');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await importRow(broken)).problems).toEqual([
      { field: 'line 3', message: 'a quote (") opens a value here and is never closed: close it, or double it ("") to write a quote inside a value' },
    ]);
    expect(job.error).not.toMatch(/Quote Not Closed|CSV_/);
    expect(await importRow(next)).toMatchObject({ unread: false, rows_applied: 1 });
  });

  it('when a file has more than 200,000 rows, then it is refused at once with the limit', async () => {
    const huge = await waitingFile(`sku\n${'VASE-601\n'.repeat(250_000)}`, 'huge.csv');
    const started = Date.now();
    await queueStoreJob(app.database.db, app.queues.storeJobs, STORE, 'import', 'Waiting to read the file');
    const job = await finishedJob(app.database.db, STORE, 'import');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await importRow(huge)).problems).toEqual([{ field: 'file', message: 'The file has more than 200,000 rows: split it into smaller files.' }]);
  });
});

describe('a file that meets an unexpected error', () => {
  it('when reading a file keeps failing, then it is tried 3 times, marked as not imported with the reason, and the file behind it is read', async () => {
    const db = app.database.db;
    // A fault the app cannot foresee: the database refuses to record product 604's assignment.
    await sql`create function refuse_604() returns trigger language plpgsql as $$
      begin if new.product_id = 604 then raise exception 'disk on fire'; end if; return new; end $$`.execute(db);
    await sql`create trigger refuse_604 before insert on assignments for each row execute function refuse_604()`.execute(db);
    try {
      const unlucky = await waitingFile('sku\nVASE-604\n', 'unlucky.csv');
      const behind = await waitingFile('sku\nVASE-605\n', 'behind.csv');
      const started = Date.now();
      await queueStoreJob(db, app.queues.storeJobs, STORE, 'import', 'Waiting to read the files');
      const job = await finishedJob(db, STORE, 'import', 30_000);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(job).toMatchObject({ status: 'failed', attempts: 3 });
      expect(await importRow(unlucky)).toMatchObject({
        unread: false,
        problems: [
          { field: 'file', message: expect.stringMatching(/^The file was not imported: an unexpected error stopped it \(disk on fire\)\. Import it again/) },
        ],
      });
      expect(await importRow(behind)).toMatchObject({ unread: false, rows_applied: 1 });
    } finally {
      await sql`drop trigger refuse_604 on assignments`.execute(db);
      await sql`drop function refuse_604`.execute(db);
    }
  });
});

/** The progress sections and status lines of an admin page. */
const statusesIn = (html: string) => ({
  bars: html.match(/data-job-progress/g)?.length ?? 0,
  statuses: [...html.matchAll(/<span class="bo-job__message" data-job-message>([^<]*)<\/span>/g)].map((m) => m[1]),
});

describe('one status per import, live', () => {
  it('when a run is part-way through a file, then its page shows one status in the run’s words — the bar, its JSON and no panel saying otherwise', async () => {
    const db = app.database.db;
    const { job } = await openJob(db, STORE, 'import', 'Waiting to read halfway.csv');
    const id = await waitingFile('sku\nVASE-603\n', 'halfway.csv');
    try {
      // A run that claimed the file and is assigning its rows (no worker involved: the test holds it there).
      await markStarted(db, STORE, job.id);
      await db.updateTable('imports').set({ job_id: job.id }).where('id', '=', id).execute();
      await updateProgress(db, STORE, job.id, { message: 'Assigning 3 products' });
      const page = await admin.get(`/admin/imports/${id}`);
      expect(statusesIn(page.html)).toEqual({ bars: 1, statuses: ['Assigning 3 products'] });
      expect(page.html).not.toMatch(/waiting to be read|being read/i);
      const polled = await (await fetch(`${app.url}/admin/imports/${id}/status?session=${session}`, { headers: { Accept: 'application/json' } })).json();
      expect(polled).toMatchObject({ state: 'reading', finished: false, statusText: 'Assigning 3 products' });

      await finishImport(db, STORE, id, { rowsApplied: 3 });
      await markFinished(db, STORE, job.id, 'halfway.csv: 3 rows assigned.');
      const done = await admin.get(`/admin/imports/${id}`);
      expect(statusesIn(done.html)).toEqual({ bars: 1, statuses: ['3 rows assigned.'] });
      expect(done.html).toContain('data-import-outcome');
    } finally {
      await markFinished(db, STORE, job.id, 'done');
      await finishImport(db, STORE, id, { rowsApplied: 0 });
    }
  });

  it('when a file is uploaded, then its page opens with no banner of its own: the status says what becomes of it', async () => {
    const sent = await uploadFile('sku\nVASE-605\n', 'again.csv');
    expect(sent.status).toBe(303);
    await finishedJob(app.database.db, STORE, 'import');
    const page = await admin.get(new URL(sent.location!, app.url).pathname);
    expect(page.html).not.toMatch(/bo-flash--info|being read/);
    expect(statusesIn(page.html).bars).toBe(1);
  });

  it('when an earlier import failed and a new attempt is refused, then the form shows only the new attempt’s error', async () => {
    const failed = await app.database.db
      .selectFrom('jobs')
      .select('id')
      .where('store_hash', '=', STORE)
      .where('kind', '=', 'import')
      .where('status', '=', 'failed')
      .execute();
    expect(failed.length).toBeGreaterThan(0);
    const refused = await uploadFile('', 'empty.csv');
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('The file is empty');
    expect(refused.html).not.toMatch(/Nothing was imported|data-job-progress/);
  });
});

/** Posts a file from the import form, as the browser does. */
async function uploadFile(content: string, filename: string) {
  const page = await admin.get('/admin/imports/new');
  const form = new FormData();
  form.append('session', session);
  form.append('_csrf', csrfIn(page.html));
  form.append('mode', 'assign');
  form.append('file', new Blob([content]), filename);
  const response = await fetch(`${app.url}/admin/imports`, { method: 'POST', body: form, redirect: 'manual', headers: { Accept: 'text/html' } });
  return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}
