#!/usr/bin/env node
// npm runs this after every `npm ci` or `npm install` of the repository (its `prepare` step), with or
// without --omit=dev: it builds the storefront bundle, so a production install serves it as installed,
// then records the install so scripts/run.mjs does not run npm again.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordInstall } from './lib/install-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
console.log('backorder: building the storefront bundle (Rollup) ...');
const build = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'build-storefront.ts')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('backorder: the storefront bundle could not be built (see above).');
  process.exit(build.status ?? 1);
}
recordInstall(root);
