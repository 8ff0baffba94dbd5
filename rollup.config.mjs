// Storefront bundles. The loader is a classic script (Script Manager adds it with `defer`), kept tiny;
// page entries are ES modules the loader imports only on the pages that need them, sharing Lit.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

const src = 'storefront/src/entries';
const out = 'storefront/dist';
const plugins = () => [
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2021', minify: true, tsconfig: 'storefront/tsconfig.json', legalComments: 'none' }),
];
const pageEntries = Object.fromEntries(
  readdirSync(src)
    .filter((name) => name.endsWith('.ts') && name !== 'loader.ts')
    .map((name) => [path.basename(name, '.ts'), path.join(src, name)]),
);

export default [
  {
    input: path.join(src, 'loader.ts'),
    output: { file: path.join(out, 'loader.js'), format: 'iife' },
    plugins: plugins(),
  },
  ...(Object.keys(pageEntries).length > 0
    ? [
        {
          input: pageEntries,
          output: { dir: out, format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
          plugins: plugins(),
        },
      ]
    : []),
];
