/**
 * The backorder report: each filter (order date in the store's time zone, category, brand, status, over
 * the limit, search by name or SKU) and their combinations, kept in the URL; each sort; keyset paging at
 * its boundaries; the summary and what to reorder; the CSV export; and one store never seeing another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { InventoryItem } from '../../../server/db/schema.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { ORDER_STATUS } from '../../../server/orders/order-snapshot.ts';
import { readReportQuery, type ReportQuery } from '../../../server/reports/report-query.ts';
import { MERCHANT_UNASSIGNED } from '../../../server/assignments/assignment-states.repo.ts';
import { releaseAssignment } from '../../../server/assignments/assignments.repo.ts';
import { overLimitNotice } from '../../../server/reports/over-limit.ts';
import { reportBatches, reportPage, type ReportScope } from '../../../server/reports/report.repo.ts';
import { reorderRows, reportSummary } from '../../../server/reports/report-summary.repo.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { installed } from '../../helpers/admin.ts';
import { adminClient, type AdminClient } from '../../helpers/admin-pages.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, editItem, orderFor, stockDeps } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let admin: AdminClient;
let session: string;
const STORE = 'report1';
const OTHER = 'report2';
const scope: ReportScope = { storeHash: STORE, timezone: 'America/New_York' };
const items = {} as Record<'kettle' | 'rake' | 'hose', InventoryItem>;
/** Text of an attribute or cell as the browser reads it. */
const decoded = (html: string) =>
  html
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"');

const KITCHEN = 21;
const GARDEN = 22;
const SALE = 23;
const ACME = 4;
const ZENITH = 5;

/** The orders, in New York time: 1 November 2026 lasts 25 hours there (summer time ends at 2 a.m.). */
const ORDERS = {
  lateOctober: { id: 7000, at: '2026-11-01T03:59:59Z' }, // 31 Oct, 23:59:59 EDT
  endOfLongDay: { id: 7001, at: '2026-11-02T04:59:59Z' }, // 1 Nov, 23:59:59 EST (2 Nov in UTC)
  midnight: { id: 7002, at: '2026-11-02T05:00:00Z' }, // 2 Nov, 00:00 EST
  tenth: { id: 7003, at: '2026-11-10T15:00:00Z' },
  twentieth: { id: 7004, at: '2026-11-20T15:00:00Z' },
  cancelled: { id: 7005, at: '2026-11-21T15:00:00Z' },
};

const query = (params: Record<string, string> = {}): ReportQuery => {
  const read = readReportQuery(params);
  expect(read.problems).toEqual([]);
  return read.query;
};
const orderIds = async (params: Record<string, string> = {}) =>
  (await reportPage(app.database.db, scope, query(params), { first: true }, 50)).rows.map((r) => r.orderId);
const tableOrders = (html: string) => [...html.matchAll(/<th scope="row">(?:<a [^>]*>)?#(\d+)/g)].map((m) => Number(m[1]));

async function place(item: InventoryItem, quantity: number, order: { id: number; at: string }, name: string, statusId?: number) {
  const snapshot = orderFor(item, quantity, { id: order.id, createdAt: new Date(order.at), ...(statusId === undefined ? {} : { statusId }) });
  snapshot.lines[0]!.name = name;
  await convergeOrder(stockDeps(app.database.db), STORE, snapshot);
}

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory() });
  const store = fake.addStore(STORE, {
    products: [
      bcProduct({ id: 901, name: 'Copper Kettle', sku: 'KET-1', categories: [KITCHEN, SALE], brand_id: ACME }),
      bcProduct({ id: 902, name: 'Garden Rake, "wide"', sku: '=RAKE', categories: [GARDEN], brand_id: ZENITH }),
      bcProduct({ id: 903, name: 'Garden Hose', sku: 'HOSE-3', categories: [GARDEN, SALE], brand_id: ACME }),
    ],
    categories: [
      { id: KITCHEN, parent_id: 0, name: 'Kitchen', is_visible: true },
      { id: GARDEN, parent_id: 0, name: 'Garden', is_visible: true },
      { id: SALE, parent_id: 0, name: 'Sale', is_visible: true },
    ],
    brands: [
      { id: ACME, name: 'Acme' },
      { id: ZENITH, name: 'Zenith' },
    ],
  });
  store.information.timezone = 'America/New_York';
  fake.addStore(OTHER, { products: [bcProduct({ id: 901, name: 'Copper Kettle', sku: 'KET-1', categories: [KITCHEN], brand_id: ACME })] });
  session = await installed(app, fake, STORE);
  admin = adminClient(app.url, session);
  await installed(app, fake, OTHER);

  const db = app.database.db;
  items.kettle = await assignProduct(
    db,
    STORE,
    { currentStock: 0, backorderThreshold: null, sku: 'KET-1' },
    { productId: 901, assignedAt: new Date('2026-10-01') },
  );
  items.rake = await assignProduct(db, STORE, { currentStock: 0, backorderThreshold: 1, sku: '=RAKE' }, { productId: 902, assignedAt: new Date('2026-10-01') });
  items.hose = await assignProduct(
    db,
    STORE,
    { currentStock: 0, backorderThreshold: null, sku: 'HOSE-3' },
    { productId: 903, assignedAt: new Date('2026-10-01') },
  );
  await place(items.kettle, 1, ORDERS.lateOctober, 'Copper Kettle');
  await place(items.kettle, 2, ORDERS.endOfLongDay, 'Copper Kettle');
  await place(items.rake, 3, ORDERS.midnight, 'Garden Rake, "wide"'); // 2 of them beyond the limit of 1
  await place(items.hose, 1, ORDERS.tenth, 'Garden Hose');
  await place(items.kettle, 4, ORDERS.twentieth, 'Copper Kettle');
  await place(items.hose, 2, ORDERS.cancelled, 'Garden Hose');
  await place(items.hose, 2, ORDERS.cancelled, 'Garden Hose', ORDER_STATUS.cancelled);
  // 5 Kettles arrive on 10 January 2031: they cover the oldest 5 of the 7 waiting.
  await editItem(stockDeps(db), STORE, items.kettle.id, { incomingStock: 5, backInStockDate: '2031-01-10' });

  // The other store has a line of the same product, SKU and category.
  const theirs = await assignProduct(
    db,
    OTHER,
    { currentStock: 0, backorderThreshold: null, sku: 'KET-1' },
    { productId: 901, assignedAt: new Date('2026-10-01') },
  );
  await convergeOrder(stockDeps(db), OTHER, orderFor(theirs, 9, { id: 7999, createdAt: new Date('2026-11-05T12:00:00Z') }));
});
afterAll(async () => {
  await app?.stop();
});

describe('filters', () => {
  it('when nothing is filtered, then every line of the store is listed, newest order first', async () => {
    expect(await orderIds()).toEqual([7005, 7004, 7003, 7002, 7001, 7000]);
  });

  it("when a date range is given, then it is read in the store's time zone, across the 25-hour day summer time ends on", async () => {
    expect(await orderIds({ from: '2026-11-01', to: '2026-11-01' })).toEqual([7001]);
    expect(await orderIds({ from: '2026-11-02', to: '2026-11-02' })).toEqual([7002]);
    expect(await orderIds({ to: '2026-10-31' })).toEqual([7000]);
    expect(await orderIds({ from: '2026-11-10' })).toEqual([7005, 7004, 7003]);
    expect(await orderIds({ from: '2026-11-02', to: '2026-11-20' })).toEqual([7004, 7003, 7002]);
  });

  it('when a category is chosen, then a product in several categories is found under each', async () => {
    expect(await orderIds({ category: String(KITCHEN) })).toEqual([7004, 7001, 7000]);
    expect(await orderIds({ category: String(GARDEN) })).toEqual([7005, 7003, 7002]);
    expect(await orderIds({ category: String(SALE) })).toEqual([7005, 7004, 7003, 7001, 7000]);
  });

  it('when a brand, a status or over the limit is chosen, then only those lines are listed', async () => {
    expect(await orderIds({ brand: String(ZENITH) })).toEqual([7002]);
    expect(await orderIds({ brand: String(ACME) })).toEqual([7005, 7004, 7003, 7001, 7000]);
    expect(await orderIds({ status: 'cancelled' })).toEqual([7005]);
    expect(await orderIds({ status: 'waiting' })).toEqual([7004, 7003, 7002, 7001, 7000]);
    expect(await orderIds({ status: 'archived' })).toEqual([]);
    expect(await orderIds({ show: 'over-limit' })).toEqual([7002]);
  });

  it('when a search is typed, then it finds the product name or SKU anywhere in the text, % and _ taken literally', async () => {
    expect(await orderIds({ q: 'garden' })).toEqual([7005, 7003, 7002]);
    expect(await orderIds({ q: 'et-1' })).toEqual([7004, 7001, 7000]);
    expect(await orderIds({ q: '=rak' })).toEqual([7002]);
    expect(await orderIds({ q: '%' })).toEqual([]);
    expect(await orderIds({ q: 'KET_1' })).toEqual([]);
    // As every admin list reads its search: control characters left out, then the ends trimmed.
    expect(readReportQuery({ q: '\u0000 garden\t' }).query.filters.search).toBe('garden');
  });

  it('when filters are combined, then a line must pass every one of them', async () => {
    expect(await orderIds({ category: String(SALE), brand: String(ACME), status: 'waiting', from: '2026-11-02' })).toEqual([7004, 7003]);
    expect(await orderIds({ category: String(GARDEN), q: 'hose', status: 'waiting' })).toEqual([7003]);
    expect(await orderIds({ category: String(KITCHEN), brand: String(ZENITH) })).toEqual([]);
  });

  it('when a filter cannot be read, then the page names it and lists nothing, and the export is refused', async () => {
    const messages = (params: Record<string, string>) => readReportQuery(params).problems.map((p) => p.message);
    expect(messages({ from: '2026-02-30' })).toEqual(['Ordered from must be a date such as 2026-11-27, not “2026-02-30”.']);
    expect(messages({ from: '2026-11-05', to: '2026-11-01' })).toEqual(['Ordered from must be on or before Ordered to.']);
    expect(messages({ category: 'kitchen', status: 'lost' })).toEqual([
      'Category must be chosen from the list.',
      'Status must be one of Waiting, Allocated, Shipped, Cancelled, Released, Archived.',
    ]);
    const page = await admin.get('/admin/report', { from: 'yesterday' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Ordered from must be a date such as 2026-11-27, not “yesterday”.');
    expect(tableOrders(page.html)).toEqual([]);
    const exported = await fetch(`${app.url}/admin/report/export.csv?from=yesterday&session=${session}`);
    expect(exported.status).toBe(400);
  });

  it('when filters cannot be read, then each input is marked invalid and described by its problem, which links to it, and a day shows as given', async () => {
    /** The attributes of the tag whose id is `id`. */
    const tagOf = (html: string, id: string): Record<string, string | undefined> => {
      const tag = new RegExp(`<(?:input|select)[^>]*id="${id}"[^>]*>`).exec(html)![0];
      return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    };
    /** The texts that an input's aria-describedby names. */
    const described = (html: string, id: string) =>
      (tagOf(html, id)['aria-describedby'] ?? '')
        .split(' ')
        .map((problem) => new RegExp(`<li id="${problem}"><a href="#${id}">([^<]*)</a></li>`).exec(html)?.[1]);

    const { html } = await admin.get('/admin/report', { from: 'not-a-date', category: 'kitchen', status: 'lost' });
    expect(tagOf(html, 'report-from')).toMatchObject({ 'aria-invalid': 'true', type: 'text', value: 'not-a-date' });
    expect(described(html, 'report-from')).toEqual(['Ordered from must be a date such as 2026-11-27, not “not-a-date”.']);
    expect(described(html, 'report-category')).toEqual(['Category must be chosen from the list.']);
    expect(described(html, 'report-status')).toEqual([expect.stringMatching(/^Status must be one of /)]);
    for (const id of ['report-to', 'report-brand']) expect(tagOf(html, id)['aria-invalid'], id).toBeUndefined();
    expect(tagOf(html, 'report-to').type).toBe('date');

    // A range the wrong way round is about both days.
    const reversed = (await admin.get('/admin/report', { from: '2026-11-05', to: '2026-11-01' })).html;
    for (const id of ['report-from', 'report-to']) {
      expect(tagOf(reversed, id)).toMatchObject({ 'aria-invalid': 'true', 'aria-describedby': 'report-problem-0', type: 'date' });
    }
  });

  it('when the page is filtered, then every filter stays in the URL of its links and in its form', async () => {
    const params = { q: 'kettle', from: '2026-11-01', category: String(SALE), brand: String(ACME), status: 'waiting', sort: 'eta' };
    const { html } = await admin.get('/admin/report', params);
    expect(tableOrders(html)).toEqual([7001, 7004]);
    const exportLink = decoded(/href="([^"]*\/admin\/report\/export\.csv[^"]*)"/.exec(html)![1]!);
    const link = new URL(exportLink, app.url);
    for (const [name, value] of Object.entries(params)) expect(link.searchParams.get(name), name).toBe(value);
    expect(html).toContain('value="2026-11-01"');
    expect(html).toMatch(new RegExp(`<option value="${SALE}" selected>Sale</option>`));
    expect(html).toMatch(/<option value="waiting" selected>Waiting<\/option>/);
  });

  it('when the lines are counted, then the count reads as English: one line, several lines, and which match', async () => {
    const text = (html: string) => /<p class="bo-muted" id="report-count">([^<]*)</.exec(html)![1];
    expect(text((await admin.get('/admin/report', { q: 'HOSE-3', status: 'waiting' })).html)).toBe(
      '1 order line that took units beyond stock matches, sorted by Order date.',
    );
    expect(text((await admin.get('/admin/report', { q: 'kettle' })).html)).toMatch(
      /^\d+ order lines that took units beyond stock match, sorted by Order date\.$/,
    );
    expect(text((await admin.get('/admin/report')).html)).toBe('6 order lines that took units beyond stock, sorted by Order date.');
  });
});

describe('sorts', () => {
  it('when sorted by order date, age, ETA, backordered or waiting, then lines come in that order (ties by line)', async () => {
    expect(await orderIds({ sort: 'date', dir: 'asc' })).toEqual([7000, 7001, 7002, 7003, 7004, 7005]);
    expect(await orderIds({ sort: 'age' })).toEqual([7000, 7001, 7002, 7003, 7004, 7005]);
    expect(await orderIds({ sort: 'age', dir: 'asc' })).toEqual([7005, 7004, 7003, 7002, 7001, 7000]);
    // The oldest 5 Kettles are covered by the 5 arriving on 10 January 2031; unknown ETAs come last.
    expect(await orderIds({ sort: 'eta' })).toEqual([7000, 7001, 7002, 7003, 7004, 7005]);
    const byEta = (await reportPage(app.database.db, scope, query({ sort: 'eta' }), { first: true }, 50)).rows.map((r) => [r.orderId, r.eta]);
    expect(byEta.slice(0, 2)).toEqual([
      [7000, '2031-01-10'],
      [7001, '2031-01-10'],
    ]);
    expect(await orderIds({ sort: 'backordered' })).toEqual([7004, 7002, 7005, 7001, 7003, 7000]);
    expect(await orderIds({ sort: 'waiting' })).toEqual([7004, 7002, 7001, 7003, 7000, 7005]);
    expect(await orderIds({ sort: 'waiting', dir: 'asc' })).toEqual([7005, 7000, 7003, 7001, 7002, 7004]);
  });
});

describe('keyset paging', () => {
  const pageOf = (at: Parameters<typeof reportPage>[3], params: Record<string, string> = {}) => reportPage(app.database.db, scope, query(params), at, 2);
  const ids = (page: { rows: Array<{ orderId: number }> }) => page.rows.map((r) => r.orderId);

  it('when paging forward and back, then the first page has no previous, the last no next, and pages meet exactly', async () => {
    const first = await pageOf({ first: true });
    expect([ids(first), first.hasPrevious, first.hasNext]).toEqual([[7005, 7004], false, true]);
    const second = await pageOf({ after: first.rows[1]!.id });
    expect([ids(second), second.hasPrevious, second.hasNext]).toEqual([[7003, 7002], true, true]);
    const third = await pageOf({ after: second.rows[1]!.id });
    expect([ids(third), third.hasPrevious, third.hasNext]).toEqual([[7001, 7000], true, false]);
    const last = await pageOf({ last: true });
    expect([ids(last), last.hasPrevious, last.hasNext]).toEqual([[7001, 7000], true, false]);
    const back = await pageOf({ before: last.rows[0]!.id });
    expect([ids(back), back.hasPrevious, back.hasNext]).toEqual([[7003, 7002], true, true]);
    const backToFirst = await pageOf({ before: back.rows[0]!.id });
    expect([ids(backToFirst), backToFirst.hasPrevious, backToFirst.hasNext]).toEqual([[7005, 7004], false, true]);
  });

  it('when a page is asked for from a line that is gone, or past either end, then the end it pointed to is shown, not an empty page', async () => {
    const last = await pageOf({ last: true });
    const beyondLast = await pageOf({ after: last.rows[1]!.id });
    expect([ids(beyondLast), beyondLast.hasPrevious, beyondLast.hasNext]).toEqual([[7001, 7000], true, false]);
    const gone = 2 ** 40;
    const afterGone = await pageOf({ after: gone });
    expect([ids(afterGone), afterGone.hasPrevious, afterGone.hasNext]).toEqual([[7001, 7000], true, false]);
    const beforeGone = await pageOf({ before: gone });
    expect([ids(beforeGone), beforeGone.hasPrevious, beforeGone.hasNext]).toEqual([[7005, 7004], false, true]);
  });

  it('when a sort with ties is paged, then no line is skipped or shown twice', async () => {
    const seen: number[] = [];
    let page = await pageOf({ first: true }, { sort: 'waiting', dir: 'asc' });
    seen.push(...ids(page));
    while (page.hasNext) {
      page = await pageOf({ after: page.rows[page.rows.length - 1]!.id }, { sort: 'waiting', dir: 'asc' });
      seen.push(...ids(page));
    }
    expect(seen).toEqual([7005, 7000, 7003, 7001, 7002, 7004]);
  });

  it('when a page is asked for after a line in the admin, then it continues from there, with Previous and First links that keep the search', async () => {
    const line = await app.database.db
      .selectFrom('backorder_lines')
      .select('id')
      .where('store_hash', '=', STORE)
      .where('order_id', '=', 7004)
      .executeTakeFirstOrThrow();
    const html = (await admin.get('/admin/report', { q: 'kettle', after: String(line.id) })).html;
    expect(tableOrders(html)).toEqual([7001, 7000]);
    expect(decoded(html)).toMatch(/href="\/admin\/report\?q=kettle&before=\d+&session=[^"]+" rel="prev"/);
    expect(decoded(html)).toMatch(/href="\/admin\/report\?q=kettle&session=[^"]+">First/);
    expect(html).not.toMatch(/rel="next"/);
  });
});

describe('summary and what to reorder', () => {
  it('when lines are filtered, then the summary counts only them', async () => {
    const all = await reportSummary(app.database.db, scope, query().filters);
    expect(all).toMatchObject({ lines: 6, unitsWaiting: 11, linesWaiting: 5, nextEta: '2031-01-10', overLimitUnits: 2 });
    expect(all.oldestWaitingDays).toBeGreaterThan(30);
    const garden = await reportSummary(app.database.db, scope, query({ category: String(GARDEN) }).filters);
    expect(garden).toMatchObject({ lines: 3, unitsWaiting: 4, linesWaiting: 2, nextEta: null, overLimitUnits: 2 });
  });

  it('when what to reorder is asked for, then waiting units are grouped by product and variant, less what is incoming', async () => {
    const rows = await reorderRows(app.database.db, scope, query().filters, { limit: null, offset: 0 });
    expect(rows.map((r) => [r.sku, r.unitsWaiting, r.incoming, r.incomingOn, r.shortfall, r.waitingSince])).toEqual([
      ['=RAKE', 3, 0, null, 3, '2026-11-02'],
      ['KET-1', 7, 5, '2031-01-10', 2, '2026-10-31'],
      ['HOSE-3', 1, 0, null, 1, '2026-11-10'],
    ]);
    const { html } = await admin.get('/admin/report', { view: 'reorder', brand: String(ACME) });
    expect([...html.matchAll(/<tr data-item="\d+">\s*<th scope="row">([^<]*)</g)].map((m) => m[1])).toEqual(['Copper Kettle', 'Garden Hose']);
    const csv = await (await fetch(reorderLink(html))).text();
    expect(parse(csv)).toEqual([
      ['Product', 'Variant', 'SKU', 'Units waiting', 'Incoming', 'Incoming on', 'To reorder', 'Waiting since'],
      ['Copper Kettle', '', 'KET-1', '7', '5', '2031-01-10', '2', '2026-10-31'],
      ['Garden Hose', '', 'HOSE-3', '1', '0', '', '1', '2026-11-10'],
    ]);
  });

  it('when what to reorder is opened past its last page (orders shipped meanwhile, an old link), then it goes to the last page, keeping the filters', async () => {
    const response = await fetch(`${app.url}/admin/report?${new URLSearchParams({ view: 'reorder', brand: String(ACME), page: '3', session })}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const last = new URL(response.headers.get('location')!, app.url);
    expect([last.pathname, last.searchParams.get('view'), last.searchParams.get('brand'), last.searchParams.get('page')]).toEqual([
      '/admin/report',
      'reorder',
      String(ACME),
      '1',
    ]);
  });
});

function reorderLink(html: string): string {
  return new URL(decoded(/href="([^"]*\/admin\/report\/reorder\.csv[^"]*)"/.exec(html)![1]!), app.url).href;
}

describe('export', () => {
  it('when the filtered lines are exported, then the CSV has the table’s columns and rows in its order, formula-safe', async () => {
    const { html } = await admin.get('/admin/report', { category: String(GARDEN) });
    const link = new URL(decoded(/href="([^"]*\/admin\/report\/export\.csv[^"]*)"/.exec(html)![1]!), app.url);
    const response = await fetch(link);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="backorder-report-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await response.text();
    // The SKU "=RAKE" would run as a formula in a spreadsheet: it is written '=RAKE; the name's comma and quotes are quoted.
    expect(text).toContain(`"Garden Rake, ""wide"""`);
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual([
      'Order',
      'Order date',
      'Product',
      'Variant',
      'SKU',
      'Category',
      'Brand',
      'Ordered',
      'From stock',
      'Backordered',
      'Still waiting',
      'Over the limit',
      'Status',
      'ETA',
      'Age (days)',
    ]);
    expect(rows.slice(1).map((r) => r.slice(0, 14))).toEqual([
      ['7005', '2026-11-21', 'Garden Hose', '', 'HOSE-3', 'Garden, Sale', 'Acme', '2', '0', '2', '0', '0', 'Cancelled', ''],
      ['7003', '2026-11-10', 'Garden Hose', '', 'HOSE-3', 'Garden, Sale', 'Acme', '1', '0', '1', '1', '0', 'Waiting', 'Unknown'],
      ['7002', '2026-11-02', 'Garden Rake, "wide"', '', "'=RAKE", 'Garden', 'Zenith', '3', '0', '3', '3', '2', 'Waiting', 'Unknown'],
    ]);
    // The table shows the same cells, row for row (a cell's second line — the variant, the brand — is the next column).
    const SUB = /<span class="bo-table__sub">([^<]*)<\/span>/g;
    const cells = [...html.matchAll(/<tr data-line="\d+">([\s\S]*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].flatMap((c) => [
        c[1]!
          .replace(SUB, '')
          .replace(/<span class="bo-visually-hidden">[^<]*<\/span>/g, '')
          .replace(/<[^>]*>/g, '')
          .trim(),
        ...[...c[1]!.matchAll(SUB)].map((sub) => sub[1]!.trim()),
      ]),
    );
    expect(cells.map((row) => row.map(decoded))).toEqual(rows.slice(1).map((r) => [`#${r[0]}`, ...r.slice(1, 4), r[4]!.replace(/^'=/, '='), ...r.slice(5)]));
  });

  it('when a large result is exported, then it is read in keyset batches that cover every line once', async () => {
    const batches: number[][] = [];
    for await (const batch of reportBatches(app.database.db, scope, query({ sort: 'waiting' }), 4)) batches.push(batch.map((r) => r.orderId));
    expect(batches).toEqual([
      [7004, 7002, 7001, 7003],
      [7000, 7005],
    ]);
  });
});

describe('store isolation', () => {
  it("when a store reads its report, then no line, filter match, summary or cursor reaches another store's lines", async () => {
    expect(await orderIds({ category: String(KITCHEN) })).not.toContain(7999);
    const theirs = await reportPage(app.database.db, { storeHash: OTHER, timezone: 'UTC' }, query(), { first: true }, 50);
    expect(theirs.rows.map((r) => r.orderId)).toEqual([7999]);
    // A cursor naming the other store's line finds nothing to page from in this one: its own last page.
    const crossed = await reportPage(app.database.db, scope, query(), { after: theirs.rows[0]!.id }, 50);
    expect(crossed.rows.map((r) => r.orderId)).toEqual(await orderIds({}));
    const summary = await reportSummary(app.database.db, scope, query({ q: 'kettle' }).filters);
    expect(summary.unitsWaiting).toBe(7);
    const { html } = await admin.get('/admin/report', { after: String(theirs.rows[0]!.id) });
    expect(tableOrders(html)).not.toContain(7999);
    const csv = await (await fetch(`${app.url}/admin/report/export.csv?session=${session}`)).text();
    expect(csv).not.toContain('7999');
  });
});

describe('an order arriving while paging', () => {
  const pageOf = (at: Parameters<typeof reportPage>[3], params: Record<string, string> = {}) => reportPage(app.database.db, scope, query(params), at, 2);
  const ids = (page: { rows: Array<{ orderId: number }> }) => page.rows.map((r) => r.orderId);

  it('when an order arrives while the merchant pages, then the next page neither repeats nor skips a line (an offset would repeat one)', async () => {
    const first = await pageOf({ first: true }, { q: 'kettle' });
    expect(ids(first)).toEqual([7004, 7001]);
    await place(items.kettle, 1, { id: 7050, at: new Date().toISOString() }, 'Copper Kettle');
    const next = await pageOf({ after: first.rows[1]!.id }, { q: 'kettle' });
    expect([ids(next), next.hasNext]).toEqual([[7000], false]);
    expect(ids(await pageOf({ first: true }, { q: 'kettle' }))).toEqual([7050, 7004]);
  });
});

describe('over the limit, one meaning', () => {
  it('when the product of a line over the limit is unassigned, then its table row, CSV row, the summary, the filter and the products tab’s warning all stop counting it', async () => {
    const db = app.database.db;
    const store = 'report3';
    fake.addStore(store, { products: [bcProduct({ id: 904, name: 'Lantern', sku: 'LANT-1' })] });
    const theirSession = await installed(app, fake, store);
    const lantern = await assignProduct(
      db,
      store,
      { currentStock: 0, backorderThreshold: 1, sku: 'LANT-1' },
      { productId: 904, assignedAt: new Date('2026-10-01') },
    );
    // Order 104 takes 3: 1 within the threshold, 2 over the limit.
    await convergeOrder(stockDeps(db), store, orderFor(lantern, 3, { id: 104, createdAt: new Date('2026-11-05T12:00:00Z') }));
    const own: ReportScope = { storeHash: store, timezone: 'UTC' };
    const seen = async () => {
      const csv = parse(await (await fetch(`${app.url}/admin/report/export.csv?session=${theirSession}`)).text()) as string[][];
      const overColumn = csv[0]!.indexOf('Over the limit');
      return {
        table: (await reportPage(db, own, query(), { first: true }, 50)).rows.map((r) => [r.orderId, r.status, r.overCapQty]),
        csv: csv.slice(1).map((r) => r[overColumn]),
        summary: (await reportSummary(db, own, query().filters)).overLimitUnits,
        filtered: (await reportPage(db, own, query({ show: 'over-limit' }), { first: true }, 50)).rows.map((r) => r.orderId),
        warning: (await overLimitNotice(db, store))?.text ?? null,
      };
    };
    expect(await seen()).toEqual({
      table: [[104, 'waiting', 2]],
      csv: ['2'],
      summary: 2,
      filtered: [104],
      warning: expect.stringMatching(/^2 units in 1 order went over the limit/),
    });
    await releaseAssignment(db, store, lantern.assignment_id, MERCHANT_UNASSIGNED);
    expect(await seen()).toEqual({ table: [[104, 'released', 0]], csv: ['0'], summary: 0, filtered: [], warning: null });
  });
});
