import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../../../server/registration/storefront-bundle.ts';
import { bundleVersion, SCRIPT_NAMES, scriptsVersion } from '../../../server/registration/registration.service.ts';
import { getSettings, updateSettings } from '../../../server/settings/settings.service.ts';
import { queueScriptRefreshes } from '../../../server/registration/scripts-refresh.service.ts';
import { sessionIn } from '../../helpers/admin.ts';
import { adminClient } from '../../helpers/admin-pages.ts';
import { installedApp, type InstalledApp } from '../../helpers/installed-app.ts';
import { until } from '../../helpers/sandbox.ts';

let installed: InstalledApp;
beforeAll(async () => {
  installed = await installedApp();
  // The workers' first round of recurring jobs includes a reconcile of every installed store, which registers
  // the scripts too: under load it can run after the install, and would race the tests' own changes.
  const { queues } = installed.app;
  const busy = async () => {
    const counts = await Promise.all([queues.housekeeping.getJobCounts('active', 'waiting'), queues.reconcile.getJobCounts('active', 'waiting')]);
    return counts.reduce((sum, count) => sum + (count.active ?? 0) + (count.waiting ?? 0), 0);
  };
  await until(async () => (await busy()) === 0, 60_000, 'the workers’ first round of recurring jobs');
}, 120_000);
afterAll(async () => {
  await installed?.stop();
});

describe('a new storefront build', () => {
  it('when a store has the scripts of another build, then they are registered again with the new version and hashes', async () => {
    const { sandbox, storeHash, app } = installed;
    const scriptsOf = () => sandbox.store(storeHash).scripts() as Array<{ name: string; src: string; integrity_hashes: string[] }>;
    const loader = scriptsOf().find((s) => s.name === SCRIPT_NAMES.storefront)!;
    // The store still runs what an earlier deploy registered.
    sandbox.store(storeHash).context.state.scripts.find((s) => s.name === SCRIPT_NAMES.storefront)!.src = loader.src.replace(/v=\w+/, 'v=0ld');
    await app.database.db.updateTable('stores').set({ scripts_version: 'old' }).where('store_hash', '=', storeHash).execute();

    const bundle = await readStorefrontBundle(STOREFRONT_DIST_DIR);
    expect(await queueScriptRefreshes(app.database.db, app.queues.reconcile, bundle)).toBe(1);
    await expect
      .poll(
        async () =>
          (await app.database.db.selectFrom('stores').select('scripts_version').where('store_hash', '=', storeHash).executeTakeFirst())?.scripts_version,
        { timeout: 20_000 },
      )
      .toBe(bundleVersion(bundle));
    expect(scriptsOf().find((s) => s.name === SCRIPT_NAMES.storefront)?.src).toBe(
      `${app.url}/storefront/loader.js?store=${storeHash}&v=${bundle.loader.version}`,
    );
    expect(scriptsOf().find((s) => s.name === SCRIPT_NAMES.checkout)?.integrity_hashes).toEqual([bundle.checkout.integrity]);
    // Already current: nothing is queued.
    expect(await queueScriptRefreshes(app.database.db, app.queues.reconcile, bundle)).toBe(0);
  }, 60_000);
});

describe('a Custom theme profile’s selectors', () => {
  /** The Settings form as it stands, all defaults. */
  const FORM = {
    'inventory.defaultBackorderThreshold': '0',
    'orderNote.enabled': 'on',
    'orderNote.target': 'staff_notes',
    'orderNote.message': 'This order contains backordered items:',
    'storefront.enabled': 'on',
  };
  const selectors = { productView: '.pdp', productId: 'input[name="pid"]', card: '' };

  it('when the merchant switches to Custom in Settings, then a scripts refresh is queued and the loader’s URL carries the selectors', async () => {
    const { sandbox, storeHash, app } = installed;
    const loaderSrc = () => (sandbox.store(storeHash).scripts() as Array<{ name: string; src: string }>).find((s) => s.name === SCRIPT_NAMES.storefront)?.src;
    const bundle = await readStorefrontBundle(STOREFRONT_DIST_DIR);
    expect(loaderSrc()).toBe(`${app.url}/storefront/loader.js?store=${storeHash}&v=${bundle.loader.version}`);
    // The selectors were set earlier, while the store used Cornerstone (the admin does not edit them yet).
    await updateSettings(app.database.db, storeHash, { storefront: { customSelectors: selectors } });

    const session = sessionIn((await fetch(sandbox.loadUrl(storeHash), { redirect: 'manual' })).headers.get('location'));
    const saved = await adminClient(app.url, session).post('/admin/settings', { ...FORM, 'storefront.themeProfile': 'custom' });
    expect(saved.status).toBe(303);

    const sel = encodeURIComponent(JSON.stringify({ v: '.pdp', i: 'input[name="pid"]' }));
    await expect.poll(loaderSrc, { timeout: 20_000 }).toBe(`${app.url}/storefront/loader.js?store=${storeHash}&v=${bundle.loader.version}&sel=${sel}`);
    await expect
      .poll(
        async () =>
          (await app.database.db.selectFrom('stores').select('scripts_version').where('store_hash', '=', storeHash).executeTakeFirst())?.scripts_version,
      )
      .toBe(scriptsVersion(bundle, selectors));
    // The build is the current one: a restart queues nothing for this store.
    expect(await queueScriptRefreshes(app.database.db, app.queues.reconcile, bundle)).toBe(0);
  }, 60_000);

  it('when the saved selectors are too long for the loader’s URL, then switching to Custom is refused, naming them, and nothing is queued', async () => {
    const { sandbox, storeHash, app } = installed;
    const long = '.product-view ' + 'div > '.repeat(45) + '[data-x]';
    await updateSettings(app.database.db, storeHash, { storefront: { themeProfile: 'cornerstone', customSelectors: { productId: long, card: long } } });
    const session = sessionIn((await fetch(sandbox.loadUrl(storeHash), { redirect: 'manual' })).headers.get('location'));
    const refused = await adminClient(app.url, session).post('/admin/settings', { ...FORM, 'storefront.themeProfile': 'custom' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Custom theme selectors: Product id');
    expect(refused.html).toContain('Custom theme selectors: Card');
    expect(refused.html).toMatch(/too long for the storefront script/);
    expect((await getSettings(app.database.db, storeHash)).storefront.themeProfile).toBe('cornerstone');
    expect(await app.queues.reconcile.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(0);
  }, 60_000);
});
