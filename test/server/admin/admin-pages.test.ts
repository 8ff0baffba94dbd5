import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../../../server/bigcommerce/index.ts';
import { insertAssignment } from '../../../server/assignments/assignments.repo.ts';
import { getSettings } from '../../../server/settings/settings.service.ts';
import { convergeOrder } from '../../../server/orders/orders.service.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { csrfIn, finishedJob, install, postForm } from '../../helpers/admin.ts';
import { bcProduct, fakeBigCommerce } from '../../helpers/fake-bigcommerce.ts';
import { assignProduct, orderFor, stockOf, stockDeps } from '../../helpers/inventory.ts';

const fake = fakeBigCommerce();
let app: TestApp;
let session: string;
const STORE = 'pages1';

const page = async (path: string, params: Record<string, string> = {}) => {
  const query = new URLSearchParams({ ...params, session }).toString();
  const response = await fetch(`${app.url}${path}?${query}`, { headers: { Accept: 'text/html' } });
  return { status: response.status, html: await response.text() };
};
/** The href of the pager's link labelled `label` (First, Previous, Next, Last). */
const linkOf = (html: string, label: string) => {
  const href = new RegExp(`href="([^"]+)"[^>]*>${label}<span`).exec(html)?.[1];
  if (!href) throw new Error(`no ${label} link on the page`);
  return href.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
};
const follow = async (html: string, label: string) => (await fetch(`${app.url}${linkOf(html, label)}`, { headers: { Accept: 'text/html' } })).text();

beforeAll(async () => {
  app = await startTestApp({ gateway: fake.factory(50) });
  const products = Array.from({ length: 120 }, (_, i) => bcProduct({ name: `Product ${String(i).padStart(3, '0')}`, sku: `P-${i}` }));
  products.push(
    bcProduct({
      name: 'Tee',
      sku: 'TEE',
      inventory_tracking: 'variant',
      variants: [
        {
          id: 90001,
          product_id: 0,
          sku: 'TEE-RED-XL',
          option_values: [{ id: 11, option_id: 1, option_display_name: 'Colour', label: 'Red' }],
          inventory_level: 4,
          purchasing_disabled: false,
        },
        {
          id: 90002,
          product_id: 0,
          sku: 'TEE-BLUE-S',
          option_values: [{ id: 12, option_id: 1, option_display_name: 'Colour', label: 'Blue' }],
          inventory_level: 6,
          purchasing_disabled: false,
        },
      ],
    }),
  );
  fake.addStore(STORE, { products });
  session = (await install(app.url, fake, STORE)).session;
  await finishedJob(app.database.db, STORE, 'install');
});
afterAll(async () => {
  await app?.stop();
});

describe('All Products', () => {
  it('when the catalog is listed, then it is paged 50 at a time in name order with the stock that counts', async () => {
    const first = await page('/admin/products');
    expect(first.status).toBe(200);
    expect(first.html).toMatch(/Showing 50 of 121 products/);
    expect(first.html).toContain('Product 000');
    expect(first.html).not.toContain('Product 050');
    expect(first.html).not.toMatch(/rel="prev"/);
    const second = await follow(first.html, 'Next');
    expect(second).toContain('Product 050');
    expect(second).not.toContain('Product 049');
    expect(second).not.toContain('Product 100');
    // The last page is the list's last 50 products, as in the Report.
    const last = await follow(second, 'Last');
    expect(last).toMatch(/Showing 50 of 121 products/);
    expect(last).toContain('Product 071');
    expect(last).not.toContain('Product 070');
    expect(last).toMatch(/Tee<\/th>[\s\S]*?10 <span class="bo-muted">\(across 2 variants\)<\/span>/);
    expect(last).not.toMatch(/rel="next"/);
    const back = await follow(last, 'Previous');
    expect(back).toContain('Product 021');
    expect(back).toContain('Product 070');
    expect(back).not.toContain('Product 071');
    expect(await follow(back, 'First')).toContain('Product 000');
  });

  it('when a search is paged, then the Next link keeps the search and the filters', async () => {
    const first = await page('/admin/products', { q: 'product 0', visibility: 'visible' });
    expect(first.html).toMatch(/Showing 50 of 100 products matching “product 0”/);
    expect(linkOf(first.html, 'Next')).toMatch(/^\/admin\/products\?q=product\+0&visibility=visible&after=\d+&session=/);
    const second = await follow(first.html, 'Next');
    expect(second).toContain('Product 099');
    expect(second).not.toMatch(/rel="next"/);
  });

  it('when more than 10,000 products match, then the count stops there and says so', async () => {
    const many = 'pages2';
    fake.addStore(many, { products: [] });
    const other = (await install(app.url, fake, many)).session;
    await finishedJob(app.database.db, many, 'install');
    await sql`insert into catalog_products (store_hash, product_id, name, sku, is_visible, availability, inventory_tracking)
      select ${many}, g, 'Lamp ' || g, 'L-' || g, true, 'available', 'none' from generate_series(1, 10001) g`.execute(app.database.db);
    const response = await fetch(`${app.url}/admin/products?session=${other}`, { headers: { Accept: 'text/html' } });
    expect(await response.text()).toMatch(/Showing 50 of more than 10,000 products/);
  });

  it('when the merchant searches by part of a name, a product SKU or a variant SKU, then only those products are listed', async () => {
    expect((await page('/admin/products', { q: 'product 11' })).html).toMatch(/Showing 10 of 10 products matching “product 11”/);
    expect((await page('/admin/products', { q: 'P-42' })).html).toMatch(/Product 042/);
    const variant = await page('/admin/products', { q: 'blue-s' });
    expect(variant.html).toMatch(/Showing 1 of 1 product\b/);
    expect(variant.html).toContain('Tee');
    expect((await page('/admin/products', { q: '100%_' })).html).toMatch(/No product matches “100%_”/);
  });

  it('when a product is assigned, then its row says so and shows the app’s own stock, negative when owed', async () => {
    const product = fake.stores.get(STORE)!.products[7]!;
    const item = await assignProduct(app.database.db, STORE, { currentStock: 1, backorderThreshold: 5 }, { productId: product.id });
    await convergeOrder(stockDeps(app.database.db), STORE, orderFor(item, 4));
    const { html } = await page('/admin/products', { q: product.name });
    expect(html).toMatch(/-3 <span class="bo-muted">\(3 backordered\)<\/span>[\s\S]*?bo-badge--success">Yes/);
  });

  it('when a product is assigned by variant and one variant owes units, then its row names them rather than hiding them in the sum', async () => {
    const product = fake.stores.get(STORE)!.products[8]!;
    const { items } = await app.database.db.transaction().execute((trx) =>
      insertAssignment(trx, {
        storeHash: STORE,
        productId: product.id,
        trackedBy: 'variant',
        savedInventoryTracking: 'variant',
        savedAvailability: 'available',
        items: [
          { variantId: 70001, sku: 'V-S', currentStock: 5, backorderThreshold: 3, bigcommerceLevel: 5 },
          { variantId: 70002, sku: 'V-M', currentStock: 0, backorderThreshold: 3, bigcommerceLevel: 0 },
          { variantId: 70003, sku: 'V-L', currentStock: 0, backorderThreshold: 3, bigcommerceLevel: 0 },
        ],
      }),
    );
    await convergeOrder(stockDeps(app.database.db), STORE, orderFor(items[1]!, 2));
    // One variant's units below zero that no order explains (a level lowered in BigCommerce): short, not backordered.
    await sql`update inventory_items set current_stock = -1, unexplained_shortfall = 1 where id = ${items[2]!.id}`.execute(app.database.db);
    const { html } = await page('/admin/products', { q: product.name });
    expect(html).toMatch(/>2 <span class="bo-muted">\(2 backordered, 1 short, across 3 variants\)<\/span>/);
    // The tests below count one assigned product.
    await sql`update inventory_items set retired_at = now() where assignment_id = ${items[0]!.assignment_id}`.execute(app.database.db);
    await sql`update assignments set released_at = now() where id = ${items[0]!.assignment_id}`.execute(app.database.db);
  });
});

describe('forms', () => {
  it('when a form is posted without its CSRF token, or with another session’s, then it is refused and nothing changes', async () => {
    const before = await getSettings(app.database.db, STORE);
    const missing = await postForm(`${app.url}/admin/settings`, { session, 'orderNote.message': 'Changed' });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toMatch(/security token is missing/);

    const other = (await install(app.url, fake, STORE)).session;
    const otherToken = csrfIn(await (await fetch(`${app.url}/admin/settings?session=${other}`)).text());
    expect(otherToken).not.toBe(csrfIn((await page('/admin/settings')).html));
    const crossed = await postForm(`${app.url}/admin/settings`, { session, _csrf: otherToken, 'orderNote.message': 'Changed' });
    expect(crossed.status).toBe(403);
    expect(await getSettings(app.database.db, STORE)).toEqual(before);
  });

  it('when settings are saved, then only what changed is stored and the page says so', async () => {
    const { html } = await page('/admin/settings');
    const response = await postForm(`${app.url}/admin/settings`, {
      session,
      _csrf: csrfIn(html),
      'inventory.defaultBackorderThreshold': '12',
      'orderNote.enabled': 'on',
      'orderNote.target': 'staff_notes',
      'orderNote.message': 'Some items ship later:',
      'storefront.enabled': 'on',
      'storefront.themeProfile': 'cornerstone',
    });
    expect(response.status).toBe(303);
    const overrides = await app.database.db.selectFrom('store_settings').select('overrides').where('store_hash', '=', STORE).executeTakeFirstOrThrow();
    expect(overrides.overrides).toEqual({ inventory: { defaultBackorderThreshold: 12 }, orderNote: { message: 'Some items ship later:' } });
    const after = await fetch(`${app.url}${response.headers.get('location')}`);
    expect(await after.text()).toMatch(/Settings saved\./);
  });

  it('when settings are invalid, then every problem is named at once and nothing is saved', async () => {
    const before = await getSettings(app.database.db, STORE);
    const { html } = await page('/admin/settings');
    const response = await postForm(`${app.url}/admin/settings`, {
      session,
      _csrf: csrfIn(html),
      'inventory.defaultBackorderThreshold': 'lots',
      'orderNote.target': 'everywhere',
      'orderNote.message': ' ',
      'storefront.themeProfile': 'cornerstone',
    });
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(text).toMatch(/The settings were not saved/);
    expect(text).toMatch(/<strong>Default backorder threshold<\/strong>: Enter a whole number of 0 or more, or tick Unlimited\./);
    expect(text).toMatch(/name="inventory\.defaultBackorderThreshold" inputmode="numeric"\s+value="lots"/); // shown again as typed
    expect(text).toMatch(/<strong>Where the note goes<\/strong>/);
    expect(text).toMatch(/<strong>BackOrder message<\/strong>/);
    expect(await getSettings(app.database.db, STORE)).toEqual(before);
  });
});

describe('jobs and their progress', () => {
  it('when a catalog sync is asked for, then it runs as a job whose JSON reports its progress, and a second ask finds the first', async () => {
    const { html } = await page('/admin/products');
    // The sync's pages wait until the test has seen it running (a timer could run out first on a loaded machine).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fake.holdProductPages(() => released);
    try {
      const first = await postForm(`${app.url}/admin/catalog/sync`, { session, _csrf: csrfIn(html) });
      const second = await postForm(`${app.url}/admin/catalog/sync`, { session, _csrf: csrfIn(html) });
      expect(first.status).toBe(303);
      expect(await (await fetch(`${app.url}${second.headers.get('location')}`)).text()).toMatch(/A catalog sync is already running/);
      const jobs = await app.database.db.selectFrom('jobs').selectAll().where('store_hash', '=', STORE).where('kind', '=', 'catalog-sync').execute();
      expect(jobs).toHaveLength(1);

      const running = await (await fetch(`${app.url}/admin/jobs/${jobs[0]!.id}?session=${session}`, { headers: { Accept: 'application/json' } })).json();
      expect(running).toMatchObject({ id: jobs[0]!.id, kind: 'catalog-sync', title: 'Syncing the catalog', finished: false });
      expect(typeof running.session).toBe('string');
    } finally {
      release();
      fake.holdProductPages(undefined);
    }
    const done = await finishedJob(app.database.db, STORE, 'catalog-sync');
    const json = await (await fetch(`${app.url}/admin/jobs/${done.id}?session=${session}`, { headers: { Accept: 'application/json' } })).json();
    expect(json).toMatchObject({ status: 'succeeded', done: 121, total: 121, percent: 100, finished: true });
  });
});

describe('the words of a run', () => {
  it('when a run retries after an error or has failed, then the page and the JSON the progress bar polls say the same words', async () => {
    const jobs = await app.database.db
      .insertInto('jobs')
      .values([
        {
          store_hash: STORE,
          kind: 'release-all',
          status: 'running',
          message: 'Releasing products',
          error: 'BigCommerce answered 503',
          progress_done: 1_200,
          progress_total: 5_000,
        },
        {
          store_hash: STORE,
          kind: 'unassign',
          status: 'failed',
          message: 'Unassigning',
          error: 'BigCommerce refused the store’s token',
          finished_at: new Date(),
        },
      ])
      .returning('id')
      .execute();
    try {
      const { html } = await page('/admin/products');
      const json = await Promise.all(
        jobs.map(async ({ id }) => (await fetch(`${app.url}/admin/jobs/${id}?session=${session}`, { headers: { Accept: 'application/json' } })).json()),
      );
      expect(json.map((j) => [j.statusText, j.countText, j.barText])).toEqual([
        ['Releasing products — BigCommerce answered 503', '1,200 of 5,000', '24%'],
        ['Failed: BigCommerce refused the store’s token', '', ''],
      ]);
      for (const j of json) {
        const section = new RegExp(`id="job-${j.id}-title"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
        expect(section).toContain(`>${j.barText}</progress>`);
        expect(section).toContain(`data-job-message>${j.statusText}</span>`);
        expect(section).toContain(`data-job-count>${j.countText}</span>`);
      }
    } finally {
      await app.database.db
        .deleteFrom('jobs')
        .where(
          'id',
          'in',
          jobs.map((j) => j.id),
        )
        .execute();
    }
  });
});

describe('a run that stopped reporting', () => {
  it('when an open run has been silent for over an hour, then asking again abandons it and starts a new one', async () => {
    const stale = await app.database.db
      .insertInto('jobs')
      .values({ store_hash: STORE, kind: 'catalog-sync', status: 'queued', updated_at: new Date(Date.now() - 2 * 3600 * 1000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { html } = await page('/admin/products');
    const response = await postForm(`${app.url}/admin/catalog/sync`, { session, _csrf: csrfIn(html) });
    expect(await (await fetch(`${app.url}${response.headers.get('location')}`)).text()).toMatch(
      /Catalog sync started: once it is done, “Show the results” lists the products read\./,
    );
    const old = await app.database.db.selectFrom('jobs').selectAll().where('id', '=', stale.id).executeTakeFirstOrThrow();
    expect(old).toMatchObject({ status: 'failed', error: 'This run stopped reporting progress and was abandoned.' });
    expect((await finishedJob(app.database.db, STORE, 'catalog-sync')).status).toBe('succeeded');
  });
});

describe('the Plan tab', () => {
  it('when Unified Billing is not configured, then the page says so and a confirmed change applies at once without charge', async () => {
    const before = await page('/admin/plan');
    expect(before.html).toMatch(/Your plan: Free/);
    expect(before.html).toContain('This installation is not connected to BigCommerce Unified Billing: plans change at once and nothing is charged.');
    // One product is assigned (above) and Free allows one: at the limit, not over it.
    expect(before.html).toMatch(/Assigned products<\/dt><dd>1<span class="bo-muted"> of 1<\/span>/);

    const confirm = await page('/admin/plan/change', { planId: 'growth' });
    expect(confirm.html).toMatch(/<dd data-plan-price>\$29\.99 a month<\/dd>/);
    expect(confirm.html).toMatch(/<dd data-plan-effective>at once<\/dd>/);
    expect(confirm.html).toContain('Nothing is charged: this installation is not connected to BigCommerce Unified Billing.');
    const upgrade = await postForm(`${app.url}/admin/plan`, { session, _csrf: csrfIn(confirm.html), planId: 'growth' });
    expect(upgrade.status).toBe(303);
    const after = await (await fetch(`${app.url}${upgrade.headers.get('location')}`)).text();
    expect(after).toMatch(/You are now on the Growth plan; its limit applies at once. Nothing is charged./);
    expect(after).toMatch(/Your plan: Growth/);
    expect(after).toContain('Nothing billed yet');

    const down = await page('/admin/plan/change', { planId: 'free' });
    expect(down.html).toMatch(/<dd data-plan-effective>at once<\/dd>/);
    expect(down.html).not.toContain('data-plan-over-limit');
    expect(down.html).toContain('<dd>Free: up to 1 assigned product</dd>');
  });

  it('when the plan asked for does not exist, then it says so and nothing changes', async () => {
    const { html } = await page('/admin/plan/change', { planId: 'starter' });
    const response = await postForm(`${app.url}/admin/plan`, { session, _csrf: csrfIn(html), planId: 'platinum' });
    expect(response.status).toBe(422);
    expect(await response.text()).toMatch(/There is no plan &quot;platinum&quot;/);
    expect((await page('/admin/plan/change', { planId: 'platinum' })).status).toBe(422);
  });
});

describe('release all products', () => {
  it('when the merchant releases all products, then tracking is restored in BigCommerce and assignments, items and waiting lines are released', async () => {
    const [a, b, c] = fake.stores.get(STORE)!.products.slice(20, 23) as [CatalogProduct, CatalogProduct, CatalogProduct];
    const itemA = await assignProduct(app.database.db, STORE, { currentStock: 0, backorderThreshold: 5 }, { productId: a.id });
    await convergeOrder(stockDeps(app.database.db), STORE, orderFor(itemA, 2));
    await assignProduct(app.database.db, STORE, { currentStock: 9, backorderThreshold: 0 }, { productId: b.id });
    await app.database.db.transaction().execute(async (trx) => {
      await insertAssignment(trx, {
        storeHash: STORE,
        productId: c.id,
        trackedBy: 'product',
        savedInventoryTracking: 'none',
        savedAvailability: 'available',
        items: [{ variantId: null, sku: 'C', currentStock: 1, backorderThreshold: 0, bigcommerceLevel: 1 }],
      });
    });
    const settings = await page('/admin/settings');
    expect(settings.html).toMatch(/Before you uninstall[\s\S]*revokes BackOrder’s access/);

    const response = await postForm(`${app.url}/admin/assignments/release-all`, { session, _csrf: csrfIn(settings.html) });
    expect(response.status).toBe(303);
    const job = await finishedJob(app.database.db, STORE, 'release-all');
    expect(job.status).toBe('succeeded');
    expect(job.message).toMatch(/^4 products released/);

    const restored = fake.calls.restoreTracking.filter((call) => [a.id, b.id, c.id].includes(call.productId));
    expect(restored).toEqual([
      { storeHash: STORE, productId: a.id, mode: 'product', levels: [{ variantId: null, level: 0 }] },
      { storeHash: STORE, productId: b.id, mode: 'product', levels: [{ variantId: null, level: 9 }] },
    ]);
    const active = await app.database.db.selectFrom('assignments').select('id').where('store_hash', '=', STORE).where('released_at', 'is', null).execute();
    expect(active).toEqual([]);
    const lines = (await stockOf(app.database.db, itemA.id)).lines;
    expect(lines.map((l) => l.status)).toEqual(['released']);
    const retired = await app.database.db.selectFrom('inventory_items').select('retired_at').where('id', '=', itemA.id).executeTakeFirstOrThrow();
    expect(retired.retired_at).not.toBeNull();
    expect((await page('/admin/settings')).html).toMatch(/No product is assigned: you can uninstall BackOrder safely/);
  });

  it('when BigCommerce fails half-way, then the products before it are released in both places and the rest stay assigned', async () => {
    const [d, e] = fake.stores.get(STORE)!.products.slice(30, 32) as [CatalogProduct, CatalogProduct];
    await assignProduct(app.database.db, STORE, { currentStock: 2, backorderThreshold: 0 }, { productId: d.id });
    await assignProduct(app.database.db, STORE, { currentStock: 2, backorderThreshold: 0 }, { productId: e.id });
    const assigned = () =>
      app.database.db.selectFrom('assignments').select('product_id').where('store_hash', '=', STORE).where('released_at', 'is', null).execute();
    fake.failRestoreOf(e.id);
    try {
      const { html } = await page('/admin/settings');
      await postForm(`${app.url}/admin/assignments/release-all`, { session, _csrf: csrfIn(html) });
      const latest = () =>
        app.database.db
          .selectFrom('jobs')
          .selectAll()
          .where('store_hash', '=', STORE)
          .where('kind', '=', 'release-all')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
      await expect.poll(async () => (await latest()).error, { timeout: 10_000 }).toMatch(/503 Service Unavailable/);
      expect((await latest()).status).toBe('running');
      expect((await assigned()).map((r) => r.product_id)).toEqual([e.id]);
    } finally {
      fake.failRestoreOf(undefined);
    }
    // The retry carries on from where the first attempt stopped.
    const job = await finishedJob(app.database.db, STORE, 'release-all', 30_000);
    expect(job.status).toBe('succeeded');
    expect(await assigned()).toEqual([]);
    expect(fake.calls.restoreTracking.filter((call) => call.productId === d.id)).toHaveLength(1);
  });
});
