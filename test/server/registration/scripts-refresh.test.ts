import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStorefrontBundle } from '../../../server/registration/storefront-bundle.ts';
import { bundleVersion, SCRIPT_NAMES } from '../../../server/registration/registration.service.ts';
import { queueScriptRefreshes } from '../../../server/registration/scripts-refresh.service.ts';
import { DIST_DIR } from '../../../server/workers/reconcile.worker.ts';
import { installedApp, type InstalledApp } from '../../helpers/installed-app.ts';

let installed: InstalledApp;
beforeAll(async () => {
  installed = await installedApp();
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

    const bundle = await readStorefrontBundle(DIST_DIR);
    expect(await queueScriptRefreshes(app.database.db, app.queues.reconcile, bundle)).toBe(1);
    await expect
      .poll(async () => (await app.database.db.selectFrom('stores').select('scripts_version').where('store_hash', '=', storeHash).executeTakeFirst())?.scripts_version, { timeout: 20_000 })
      .toBe(bundleVersion(bundle));
    expect(scriptsOf().find((s) => s.name === SCRIPT_NAMES.storefront)?.src).toBe(`${app.url}/storefront/loader.js?store=${storeHash}&v=${bundle.loader.version}`);
    expect(scriptsOf().find((s) => s.name === SCRIPT_NAMES.checkout)?.integrity_hashes).toEqual([bundle.checkout.integrity]);
    // Already current: nothing is queued.
    expect(await queueScriptRefreshes(app.database.db, app.queues.reconcile, bundle)).toBe(0);
  }, 60_000);
});
