/**
 * CSV import (1.3 import to assign, 2.3 import to update) through the upload: the template, the format
 * (BOM, semicolons), every bad row at once, all or nothing, plan limits, the limits on the file, and the
 * export → edit → import round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '../../../server/plans/plans.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { csrfIn, finishedJob, install } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
let session: string;
const STORE = 'import1';

type File = { name: string; content: string | Uint8Array<ArrayBuffer> };

async function upload(file: File, fields: Record<string, string | string[]> = {}, forged: { session?: string; csrf?: string } = {}, as = session) {
  const page = await (await fetch(`${app.url}/admin/imports/new?session=${as}`)).text();
  const form = new FormData();
  form.append('session', forged.session ?? as);
  form.append('_csrf', forged.csrf ?? csrfIn(page));
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  form.append('file', new Blob([file.content]), file.name);
  const response = await fetch(`${app.url}/admin/imports`, { method: 'POST', body: form, redirect: 'manual', headers: { Accept: 'text/html' } });
  return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}

/** Uploads, waits for the import job, and returns its page. */
async function imported(file: File, fields: Record<string, string | string[]> = {}, as = { session: '', store: STORE }) {
  const sent = await upload(file, fields, {}, as.session || session);
  expect(sent.status).toBe(303);
  const job = await finishedJob(app.database.db, as.store, 'import');
  const path = new URL(sent.location!, app.url).pathname;
  return { job, page: await (as.session ? adminClient(app.url, as.session) : admin).get(path) };
}

const items = () =>
  app.database.db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', STORE)
    .where('retired_at', 'is', null)
    .orderBy('product_id')
    .orderBy('variant_id')
    .execute();

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  fake.addStore(STORE, {
    products: [
      ...[401, 402, 403, 404].map((id) => bcProduct({ id, name: `Lamp ${id}`, sku: `LAMP-${id}`, inventory_level: 2 })),
      bcProduct({
        id: 410,
        name: 'Shirt',
        sku: 'SHIRT',
        inventory_tracking: 'variant',
        variants: [
          {
            id: 4101,
            product_id: 410,
            sku: 'SHIRT-S',
            option_values: [{ id: 1, option_id: 1, option_display_name: 'Size', label: 'S' }],
            inventory_level: 1,
            purchasing_disabled: false,
          },
          {
            id: 4102,
            product_id: 410,
            sku: 'SHIRT-M',
            option_values: [{ id: 2, option_id: 1, option_display_name: 'Size', label: 'M' }],
            inventory_level: 2,
            purchasing_disabled: false,
          },
        ],
      }),
    ],
  });
  session = (await install(app.url, fake, STORE)).session;
  admin = adminClient(app.url, session);
  await finishedJob(app.database.db, STORE, 'install');
  await changePlan(app.database.db, STORE, 'starter');
});
afterAll(async () => {
  await app?.stop();
});

describe('the Import page', () => {
  it('when it opens, then it offers the template and documents every column', async () => {
    const page = await admin.get('/admin/imports/new', { mode: 'update' });
    expect(page.html).toContain('Import to update assigned products');
    for (const column of ['sku', 'product_id', 'variant_id', 'current_stock', 'backorder_threshold', 'incoming_stock', 'back_in_stock_date'])
      expect(page.html).toContain(`<code>${column}</code>`);
    expect(page.html).toMatch(/name="columns" value="current_stock" checked/);
    const template = await fetch(`${app.url}/admin/imports/template.csv?session=${session}`);
    expect(template.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await template.text()).split('\r\n')[0]).toBe('sku,product_id,variant_id,current_stock,backorder_threshold,incoming_stock,back_in_stock_date');
  });
});

describe('import to assign (1.3)', () => {
  it('when rows are bad, then every problem is listed with its line and column, and nothing is assigned', async () => {
    const csv = [
      'sku,product_id,variant_id,current_stock,backorder_threshold,incoming_stock,back_in_stock_date',
      'LAMP-401,,,3,5,,',
      'NOPE,,,1,1,,',
      'LAMP-402,,,x,-2,,2026-13-01',
      'LAMP-401,,,3,5,,',
      ',999,,1,1,,',
      ',410,4109,1,1,,',
    ].join('\n');
    const { job, page } = await imported({ name: 'assign.csv', content: csv }, { mode: 'assign' });
    expect(job.status).toBe('failed');
    expect(page.html).toContain('Nothing was imported: ');
    const problems = [...page.html.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>([^<]+)<\/td><\/tr>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(problems).toEqual([
      'line 3, column sku: unknown SKU “NOPE”: no product or variant of the catalog has it',
      'line 4, column current_stock: &quot;x&quot; is not a whole number',
      'line 4, column backorder_threshold: -2 is negative; it must be 0 or more, or &quot;unlimited&quot;',
      'line 4, column back_in_stock_date: 2026-13-01 is not a real date (months run 01 to 12): give a date that exists, as YYYY-MM-DD, e.g. 2026-12-01',
      'line 5: duplicate row: line 2 names the same product',
      'line 6, column product_id: there is no product 999 in the catalog (sync the catalog if it is new)',
      'line 7, column variant_id: product 410 has no variant 4109',
    ]);
    expect(await items()).toEqual([]);
  });

  it('when the file is right (BOM, semicolons, variants by id), then every product is assigned at once and the assign job follows', async () => {
    const csv = '\uFEFFsku;product_id;variant_id;current_stock;backorder_threshold\r\nLAMP-401;;;3;unlimited\r\n;410;4102;9;4\r\nSHIRT-S;;;;\r\n';
    const { job } = await imported({ name: 'assign.csv', content: csv }, { mode: 'assign' });
    expect(job).toMatchObject({ status: 'succeeded' });
    await finishedJob(app.database.db, STORE, 'assign');
    expect((await items()).map((i) => [i.product_id, i.variant_id, i.current_stock, i.backorder_threshold])).toEqual([
      [401, null, 3, null],
      [410, 4101, 1, 0],
      [410, 4102, 9, 4],
    ]);
    expect(fake.stores.get(STORE)!.products.find((p) => p.id === 410)!.inventory_tracking).toBe('none');
  });

  it('when a row names a product already assigned, then the file is refused whole', async () => {
    const { page } = await imported({ name: 'again.csv', content: 'sku\nLAMP-401\nLAMP-402\n' }, { mode: 'assign' });
    expect(page.html).toMatch(/line 2<\/th><td>Lamp 401 is already assigned to BackOrder/);
    expect((await items()).some((i) => i.product_id === 402)).toBe(false);
  });

  it('when a row gives a negative current stock, then the problem names its line and column', async () => {
    const { page } = await imported({ name: 'negative.csv', content: 'sku,current_stock\nLAMP-404,-1\n' }, { mode: 'assign' });
    expect(page.html).toMatch(/line 2, column current_stock<\/th><td>-1 is negative; current stock starts at 0 or more/);
    expect((await items()).some((i) => i.product_id === 404)).toBe(false);
  });

  it('when the rows go over the plan’s limit, then each is refused with the numbers and nothing is assigned', async () => {
    const store = 'import2';
    fake.addStore(store, { products: [701, 702, 703].map((id) => bcProduct({ id, name: `Chair ${id}`, sku: `CHAIR-${id}` })) });
    const other = { session: (await install(app.url, fake, store)).session, store };
    await finishedJob(app.database.db, store, 'install');
    const assignedIn = () => app.database.db.selectFrom('assignments').select('product_id').where('store_hash', '=', store).orderBy('product_id').execute();
    const send = (content: string) => imported({ name: 'chairs.csv', content }, { mode: 'assign' }, other);
    expect((await send('sku\nCHAIR-701\n')).job.status).toBe('succeeded');
    expect(await assignedIn()).toEqual([{ product_id: 701 }]);
    const { job, page } = await send('sku\nCHAIR-702\nCHAIR-703\n');
    expect(job.status).toBe('failed');
    for (const line of [2, 3]) {
      expect(page.html).toContain(
        `line ${line}</th><td>over the plan’s limit: 1 assigned, limit 1: your Free plan holds at most 1 product, so upgrade it to assign all 2, or unassign 1 to assign 1 of these 2</td>`,
      );
    }
    expect(await assignedIn()).toEqual([{ product_id: 701 }]);
  });
});

describe('import to update (2.3) and export', () => {
  it('when the export is edited and imported to update, then the chosen columns overwrite and the others keep their values', async () => {
    const exported = await (await fetch(`${app.url}/admin/products/assigned/export.csv?session=${session}`)).text();
    const lines = exported.trim().split('\r\n');
    expect(lines[0]).toBe('sku,product_id,variant_id,current_stock,backorder_threshold,incoming_stock,back_in_stock_date');
    expect(lines).toContain('LAMP-401,401,,3,unlimited,0,');
    const edited = lines.map((line) =>
      line.replace('LAMP-401,401,,3,unlimited,0,', 'LAMP-401,401,,12,6,40,2099-03-01').replace('SHIRT-M,410,4102,9,4,0,', 'SHIRT-M,410,4102,0,1,5,'),
    );
    const { job } = await imported(
      { name: 'update.csv', content: edited.join('\r\n') },
      { mode: 'update', columns: ['current_stock', 'incoming_stock', 'back_in_stock_date'] },
    );
    expect(job.status).toBe('succeeded');
    const after = await items();
    expect(after.find((i) => i.product_id === 401)).toMatchObject({
      current_stock: 12,
      backorder_threshold: null,
      incoming_stock: 40,
      back_in_stock_date: '2099-03-01',
    });
    expect(after.find((i) => i.variant_id === 4102)).toMatchObject({ current_stock: 0, backorder_threshold: 4, incoming_stock: 5 });
    const movement = await app.database.db
      .selectFrom('stock_movements')
      .selectAll()
      .where('store_hash', '=', STORE)
      .where('reason', '=', 'import')
      .orderBy('id')
      .execute();
    expect(movement.map((m) => m.delta)).toEqual([9, -9]);
  });

  it('when a row names a product not assigned, then nothing is updated', async () => {
    const { page } = await imported(
      { name: 'update.csv', content: 'sku,current_stock\nLAMP-401,1\nLAMP-403,1\n' },
      { mode: 'update', columns: ['current_stock'] },
    );
    expect(page.html).toMatch(/line 3<\/th><td>not assigned to BackOrder/);
    expect((await items()).find((i) => i.product_id === 401)!.current_stock).toBe(12);
  });

  it('when a row sets a negative current stock, then the problem names its line and column and nothing is updated', async () => {
    const { page } = await imported({ name: 'update.csv', content: 'sku,current_stock\nLAMP-401,-5\n' }, { mode: 'update', columns: ['current_stock'] });
    expect(page.html).toMatch(/line 2, column current_stock<\/th><td>-5 is negative; only orders take stock below 0/);
    expect((await items()).find((i) => i.product_id === 401)!.current_stock).toBe(12);
  });

  it('when a SKU was renamed in BigCommerce, then an export from before still imports by its ids, the new export carries the new SKU, and a wrong SKU is refused', async () => {
    const before = await (await fetch(`${app.url}/admin/products/assigned/export.csv?session=${session}`)).text();
    expect(before).toContain('\r\nLAMP-401,401,,12,');
    fake.stores.get(STORE)!.products.find((p) => p.id === 401)!.sku = 'LAMP-401-NEW';
    expect((await admin.post('/admin/catalog/sync', {}, '/admin/products')).status).toBe(303);
    await finishedJob(app.database.db, STORE, 'catalog-sync');

    const old = await imported(
      { name: 'old-export.csv', content: before.replace('\r\nLAMP-401,401,,12,', '\r\nLAMP-401,401,,13,') },
      { mode: 'update', columns: ['current_stock'] },
    );
    expect(old.job.status).toBe('succeeded');
    expect((await items()).find((i) => i.product_id === 401)!.current_stock).toBe(13);

    const after = await (await fetch(`${app.url}/admin/products/assigned/export.csv?session=${session}`)).text();
    expect(after).toContain('\r\nLAMP-401-NEW,401,,13,');
    const again = await imported(
      { name: 'new-export.csv', content: after.replace('\r\nLAMP-401-NEW,401,,13,', '\r\nLAMP-401-NEW,401,,14,') },
      { mode: 'update', columns: ['current_stock'] },
    );
    expect(again.job.status).toBe('succeeded');
    expect((await items()).find((i) => i.product_id === 401)!.current_stock).toBe(14);

    const wrong = await imported(
      { name: 'wrong.csv', content: 'sku,product_id,current_stock\nLAMP-402,401,1\n' },
      { mode: 'update', columns: ['current_stock'] },
    );
    expect(wrong.page.html).toMatch(/line 2, column sku<\/th><td>SKU LAMP-402 is not the SKU of product 401 \(Lamp 401\) or one of its variants/);
    expect((await items()).find((i) => i.product_id === 401)!.current_stock).toBe(14);
  });
});

describe('files that are not right', () => {
  it('when the upload is not a CSV, not UTF-8, too large or empty, then it is refused with a clear message', async () => {
    const excel = await upload({ name: 'stock.xlsx', content: 'whatever' }, { mode: 'assign' });
    expect(excel.status).toBe(415);
    expect(excel.html).toMatch(/is not a CSV file/);
    const empty = await upload({ name: 'stock.csv', content: '' }, { mode: 'assign' });
    expect(empty.status).toBe(422);
    expect(empty.html).toMatch(/Choose a CSV file to import|The file is empty/);
    const big = await upload({ name: 'big.csv', content: new Uint8Array(20 * 1024 * 1024 + 10).fill(0x41) }, { mode: 'assign' });
    expect(big.status).toBe(413);
    expect(big.html).toMatch(/larger than 20 MB/);
    const { page } = await imported({ name: 'latin1.csv', content: new Uint8Array([0x73, 0x6b, 0x75, 0x0a, 0xe9, 0x0a]) }, { mode: 'assign' });
    expect(page.html).toMatch(/not UTF-8 text/);
    const zip = await imported({ name: 'renamed.csv', content: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]) }, { mode: 'assign' });
    expect(zip.page.html).toMatch(/Excel workbook/);
  });

  it('when a file has more problems than are kept, then the page counts them all, shows the first 1,000 and says how many more there are', async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => `NOPE-${i}`);
    const { page } = await imported({ name: 'all-wrong.csv', content: `sku\n${rows.join('\n')}\n` }, { mode: 'assign' });
    expect(page.html).toContain('Nothing was imported: 1,200 problems in the file.');
    expect(page.html).not.toContain('1,001 problems');
    expect(page.html).toContain('(the first 1,000 problems are shown)');
    expect([...page.html.matchAll(/<tr><th scope="row">line \d+, column sku<\/th>/g)]).toHaveLength(1_000);
    expect(page.html).toContain('<tr><th scope="row">file</th><td>200 more problems are not listed: fix these and import the file again to see them</td></tr>');
  });

  it('when the upload has no valid session or CSRF token, then the file is refused unread', async () => {
    const forged = await upload({ name: 'stock.csv', content: 'sku\nLAMP-403\n' }, { mode: 'assign' }, { session: 'not-a-session' });
    expect(forged.status).toBe(401);
    const crossSite = await upload({ name: 'stock.csv', content: 'sku\nLAMP-403\n' }, { mode: 'assign' }, { csrf: 'forged-token' });
    expect(crossSite.status).toBe(403);
    const imports = await app.database.db.selectFrom('imports').select('id').where('filename', '=', 'stock.csv').execute();
    expect(imports).toEqual([]);
  });
});

describe('the same upload sent again', () => {
  it('when the Import form is sent twice at once (a double click) and again later (the back button), then the file is read once and every post shows that import', async () => {
    const form = await admin.get('/admin/imports/new', { mode: 'assign' });
    const uploadKey = /name="uploadKey" value="([^"]+)"/.exec(form.html)![1]!;
    const file = { name: 'twice.csv', content: 'sku\nLAMP-404\n' };

    const [first, second] = await Promise.all([upload(file, { mode: 'assign', uploadKey }), upload(file, { mode: 'assign', uploadKey })]);

    const pathOf = (location: string | null) => new URL(location!, app.url).pathname;
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(pathOf(second.location)).toBe(pathOf(first.location));
    expect((await finishedJob(app.database.db, STORE, 'import')).status).toBe('succeeded');
    const again = await upload(file, { mode: 'assign', uploadKey });
    expect(pathOf(again.location)).toBe(pathOf(first.location));
    expect((await admin.get(pathOf(first.location))).html).toContain('1 row assigned.');
    expect(await app.database.db.selectFrom('imports').select('id').where('store_hash', '=', STORE).where('filename', '=', 'twice.csv').execute()).toHaveLength(
      1,
    );
    expect((await items()).filter((i) => i.product_id === 404)).toHaveLength(1);
  });
});
