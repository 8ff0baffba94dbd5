/**
 * Registrations of one store's Script Manager scripts at once: the install job's, a new build's refresh (the
 * workers' first round queues one for every store without its scripts version, which a store whose install is
 * under way is) and a reconcile's (the nightly one, `npm run reconcile`). Each lists the scripts, then creates
 * those missing, and BigCommerce takes a second script of the same name: they must take turns.
 */
import { describe, expect, it } from 'vitest';
import { keyedLock } from '../../../server/db/keyed-lock.ts';
import { refreshScripts } from '../../../server/registration/scripts-refresh.service.ts';
import { registerInStore, registerScripts, SCRIPT_NAMES } from '../../../server/registration/registration.service.ts';
import { readStorefrontBundle, STOREFRONT_DIST_DIR } from '../../../server/registration/storefront-bundle.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';

const installed = useInstalledApp();

describe('script registrations of one store at once', () => {
  it('when the install’s, a new build’s refresh and a reconcile’s run together, then each script is there once', async () => {
    const { app, sandbox, storeHash } = installed;
    const store = sandbox.store(storeHash);
    // As before the install registered them, the store's row not yet saying which version it has; every API
    // answer a little late, as BigCommerce's are, so that each registration lists before another creates.
    store.context.state.scripts.splice(0);
    await app.database.db.updateTable('stores').set({ scripts_version: null }).where('store_hash', '=', storeHash).execute();
    store.setSwitches({ apiLatencyMs: 30 });
    try {
      const connection = await app.gateway.connect(storeHash);
      const bundle = await readStorefrontBundle(STOREFRONT_DIST_DIR);
      const { db } = app.database;
      // Each as in a process of its own: a lock of its own on the one database.
      const options = () => ({ appUrl: app.config.appUrl!, encryptionKey: app.config.encryptionKey!, bundle, lock: keyedLock(app.database) });
      await Promise.all([registerScripts(db, connection, options()), refreshScripts(db, connection, options()), registerInStore(db, connection, options())]);
      expect((store.scripts() as Array<{ name: string }>).map((s) => s.name).sort()).toEqual(
        [SCRIPT_NAMES.checkout, SCRIPT_NAMES.orderConfirmation, SCRIPT_NAMES.storefront].sort(),
      );
    } finally {
      store.setSwitches({ apiLatencyMs: 0 });
    }
  }, 60_000);
});
