/** The built storefront scripts the stores load, with the version and integrity hash of each file. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT_DIR } from '../root.ts';
import type { BuiltScript, StorefrontBundle } from './registration.service.ts';

/** Where `npm run build:storefront` writes the bundle, served under /storefront. */
export const STOREFRONT_DIST_DIR = path.join(ROOT_DIR, 'storefront', 'dist');

async function builtScript(distDir: string, file: string): Promise<BuiltScript> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(distDir, file));
  } catch {
    throw new Error(`The storefront bundle has no ${file}: build it first (npm start builds it, or npm run build:storefront)`);
  }
  return {
    path: `/storefront/${file}`,
    version: createHash('sha256').update(bytes).digest('hex').slice(0, 12),
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
  };
}

export async function readStorefrontBundle(distDir: string): Promise<StorefrontBundle> {
  const [loader, checkout] = await Promise.all([builtScript(distDir, 'loader.js'), builtScript(distDir, 'checkout.js')]);
  return { loader, checkout };
}

/** The admin's Settings preview script (built with the page entries, named in the bundle's manifest), as served. */
export async function previewScriptPath(distDir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(distDir, 'manifest.json'), 'utf8')) as { admin?: { preview?: string } };
  const file = manifest.admin?.preview;
  if (!file) throw new Error('The storefront bundle has no preview script: build it again (npm run build:storefront)');
  return `/storefront/${file}`;
}
