/**
 * The `store/app/uninstalled` webhook: BigCommerce sends it when a store is cancelled and the app removed
 * with it. It does what /uninstall does — store disabled, token erased, purge scheduled — and, like every
 * handler, changes nothing when repeated.
 */
import { APP_UNINSTALLED_SCOPE, type EventHandlers } from '../bigcommerce/index.ts';
import { uninstall, type UninstallDeps } from './uninstall.service.ts';

/** Handles one `store/app/uninstalled` event; true when it uninstalled the store now. */
export async function handleAppUninstalled(deps: UninstallDeps, event: { storeHash: string }): Promise<boolean> {
  return uninstall(deps, event.storeHash);
}

/** The handler of `store/app/uninstalled`. */
export function appUninstalledHandlers(deps: UninstallDeps): EventHandlers {
  return {
    [APP_UNINSTALLED_SCOPE]: async ({ storeHash }) => {
      await handleAppUninstalled(deps, { storeHash });
    },
  };
}
