/**
 * `npm run build:storefront`: builds storefront/dist when storefront/src (or the Rollup config) changed since
 * the last build; `-- --force` builds anyway. Every `npm ci` runs it (scripts/after-install.mjs).
 */
import { buildStorefront } from './lib/build-storefront.ts';
import { ROOT } from './lib/process.ts';

const since = Date.now();
const built = await buildStorefront(ROOT, { force: process.argv.includes('--force') });
const seconds = ((Date.now() - since) / 1000).toFixed(1);
console.log(built ? `backorder: storefront bundle built in storefront/dist (${seconds} s)` : 'backorder: storefront bundle already current (storefront/dist)');
