/**
 * The app keeps a store's token between its calls to BigCommerce (server/bigcommerce/token-cache.ts); against
 * the sandbox store, through the real gateway: kept while it works, never once the store uninstalled.
 */
import { describe, expect, it } from 'vitest';
import { StoreNotConnectedError } from '../../../server/bigcommerce/index.ts';
import { useInstalledApp } from '../../helpers/installed-app.ts';

const installed = useInstalledApp({ seed: 'empty' });

describe('the token the app keeps for a store', () => {
  it('when the store uninstalls the app (its token revoked, then /uninstall), then the next connection says at once that it is not connected', async () => {
    const { app, sandbox, storeHash } = installed;
    const connection = await app.gateway.connect(storeHash);
    expect((await connection.storeProfile()).name).toBeTruthy();
    await app.gateway.connect(storeHash); // the token kept

    expect((await sandbox.uninstall(storeHash)).status).toBe(200);
    await expect(app.gateway.connect(storeHash)).rejects.toBeInstanceOf(StoreNotConnectedError);
  });
});
