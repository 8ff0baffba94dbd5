/**
 * Import runs: files queued behind one another are each read, whatever became of the one before; a file
 * no run claimed (uploaded just as the last run ended) is read once its page is opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { insertImport } from '../../../server/imports/imports.repo.ts';
import { queueStoreJob } from '../../../server/jobs/jobs.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { finishedJob, installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
const STORE = 'importruns1';

const waitingFile = (content: string, filename: string) =>
  insertImport(app.database.db, { storeHash: STORE, mode: 'assign', columns: ['current_stock'], filename, content: Buffer.from(content) });

const importRow = (id: number) => app.database.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** Waits until the import's file has been read (its content dropped). */
async function readImport(id: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await importRow(id);
    if (row.content === null) return row;
    if (Date.now() > deadline) throw new Error(`import ${id} was never read (job ${row.job_id})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  app = await startTestApp({ ports: fake.factory() });
  fake.addStore(STORE, { products: [601, 602, 603].map((id) => bcProduct({ id, name: `Vase ${id}`, sku: `VASE-${id}`, inventory_level: 1 })) });
  admin = adminClient(app.url, await installed(app, fake, STORE));
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
    expect(await importRow(good)).toMatchObject({ content: null, rows_applied: 1 });
    expect((await importRow(bad)).problems).toEqual([{ field: 'line 2, column sku', message: expect.stringMatching(/unknown SKU “NOPE”/) }]);
    const page = await admin.get(`/admin/imports/${good}`);
    expect(page.html).toContain('1 rows imported.');
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
