/**
 * What the storefront costs shoppers to download: min+gzip KB of the loader (every page), of the product
 * entry with every shared chunk it imports statically (the product page), of the listing and cart entries
 * likewise, and of the self-contained checkout script (checkout and order confirmation only). Each file
 * is gzipped on its own, as it is served.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildStorefront } from '../scripts/lib/build-storefront.ts';
import { ROOT } from '../scripts/lib/process.ts';
import { round, type Benchmark } from './lib.ts';

interface Manifest {
  entries: Record<string, string>;
  imports: Record<string, string[]>;
}

const dist = path.join(ROOT, 'storefront', 'dist');

function gzipKb(file: string): number {
  return gzipSync(readFileSync(path.join(dist, file))).length / 1024;
}

/** The entry's file and every chunk it imports statically, transitively. */
function withStaticImports(manifest: Manifest, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const imported of manifest.imports[file] ?? []) withStaticImports(manifest, imported, seen);
  return seen;
}

const benchmark: Benchmark = {
  name: 'storefront-size',
  timeoutMs: 3 * 60_000,
  async run({ figure }) {
    await buildStorefront(ROOT);
    const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as Manifest;
    const entryKb = (name: string) => {
      const file = manifest.entries[name];
      if (!file) throw new Error(`no "${name}" entry in storefront/dist/manifest.json`);
      return round([...withStaticImports(manifest, file)].reduce((sum, chunk) => sum + gzipKb(chunk), 0));
    };
    figure('storefront.loader.gzip_kb', round(gzipKb('loader.js')));
    figure('storefront.product_entry.gzip_kb', entryKb('product'));
    figure('storefront.listing_entry.gzip_kb', entryKb('listing'));
    figure('storefront.cart_entry.gzip_kb', entryKb('cart'));
    figure('storefront.checkout_entry.gzip_kb', round(gzipKb('checkout.js')));
  },
};

export default benchmark;
