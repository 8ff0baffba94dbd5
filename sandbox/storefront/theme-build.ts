/**
 * The demo theme's JavaScript, bundled in memory with esbuild the first time a storefront needs it (never
 * written to disk, never committed): `theme-bundle.main.js` (jQuery and the real @bigcommerce/stencil-utils
 * from npm, as Cornerstone bundles them) and `checkout-app.js` (the stand-in for BigCommerce's checkout-js).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const THEME_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'theme');

export interface ThemeAssets {
  /** Asset file name (`theme-bundle.main.js`, `checkout-app.js`, `theme.css`, `img/product.svg`) → content. */
  files: Map<string, { type: string; body: string }>;
}

async function buildTheme(): Promise<ThemeAssets> {
  const result = await build({
    entryPoints: {
      'theme-bundle.main': path.join(THEME_DIR, 'main.ts'),
      'checkout-app': path.join(THEME_DIR, 'checkout-app.ts'),
    },
    bundle: true,
    write: false,
    outdir: '/theme',
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const files = new Map<string, { type: string; body: string }>();
  for (const output of result.outputFiles) files.set(path.basename(output.path), { type: 'application/javascript', body: output.text });
  files.set('theme.css', { type: 'text/css', body: await readFile(path.join(THEME_DIR, 'theme.css'), 'utf8') });
  files.set('img/product.svg', { type: 'image/svg+xml', body: await readFile(path.join(THEME_DIR, 'product.svg'), 'utf8') });
  return { files };
}

let assets: Promise<ThemeAssets> | undefined;

/** The theme's assets, built once per process. */
export function themeAssets(): Promise<ThemeAssets> {
  assets ??= buildTheme().catch((error: unknown) => {
    assets = undefined;
    throw error;
  });
  return assets;
}
