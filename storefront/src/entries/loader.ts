/**
 * The storefront loader, added to every storefront page by Script Manager (deferred, in the footer).
 * It must stay tiny: it works out where it came from and for which store, and publishes that for the
 * page entries it loads.
 */
import { scriptContextFrom } from '../lib/script-context.ts';

const context = scriptContextFrom((document.currentScript as HTMLScriptElement | null)?.src);
if (context) {
  document.documentElement.dataset.backorderStore = context.storeHash;
}
