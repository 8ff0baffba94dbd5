/**
 * The `store/app/uninstalled` webhook: BigCommerce sends it when a store is cancelled and the app removed
 * with it. It does what /uninstall does — store disabled, token erased, purge scheduled — and, like every
 * handler, changes nothing when repeated. The webhooks worker calls it with the event's store hash.
 */
import { uninstall, type UninstallDeps } from './uninstall.service.ts';

export const APP_UNINSTALLED_SCOPE = 'store/app/uninstalled';

/** Handles one `store/app/uninstalled` event; true when it uninstalled the store now. */
export async function handleAppUninstalled(deps: UninstallDeps, event: { storeHash: string }): Promise<boolean> {
  return uninstall(deps, event.storeHash);
}
