/**
 * The storefront loader, added to every storefront page by Script Manager (deferred, in the footer):
 * `<script src="https://app.example.com/storefront/loader.js?store=abc123" defer>`. It must stay tiny;
 * everything else is imported on demand. A second copy on the page (a theme that also includes it) does nothing.
 */
import { boot } from '../lib/boot.ts';
import { scriptContextFrom } from '../lib/script-context.ts';

const flags = window as unknown as { __backorderLoader?: boolean };
if (!flags.__backorderLoader) {
  flags.__backorderLoader = true;
  // currentScript is only set while the script first runs, so it is read before anything awaits.
  const context = scriptContextFrom((document.currentScript as HTMLScriptElement | null)?.src);
  if (context) document.documentElement.dataset['backorderStore'] = context.storeHash;
  void boot({ context }).catch((error: unknown) => console.warn('[backorder]', error));
}
