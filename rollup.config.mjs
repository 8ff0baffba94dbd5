// Storefront bundles, built in this order:
// 1. page entries (storefront/src/entries/*.ts but the loader and checkout) as ES modules sharing chunks
//    (Lit among them), with content-hashed names: they can be cached for good;
// 2. the loader, a tiny classic script (Script Manager adds it with `defer`) at a fixed URL, which learns
//    the hashed entry names at build time;
// 3. the checkout script, one self-contained classic script (checkout-sdk and Lit inside) for checkout and
//    order confirmation, so one Subresource Integrity hash covers it.
// storefront/dist/manifest.json records the entries and each file's static imports (for the size figures).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

const src = 'storefront/src/entries';
const out = 'storefront/dist';
const CLASSIC = ['loader.ts', 'checkout.ts'];
// treeShaking: esbuild's minify alone keeps top-level constants it inlined (the contract's), dead weight in every chunk.
const plugins = () => [
  nodeResolve({ browser: true }),
  esbuild({ target: 'es2021', minify: true, treeShaking: true, tsconfig: 'storefront/tsconfig.json', legalComments: 'none' }),
];
const pageEntries = Object.fromEntries(
  readdirSync(src)
    .filter((name) => name.endsWith('.ts') && !CLASSIC.includes(name))
    .map((name) => [path.basename(name, '.ts'), path.join(src, name)]),
);
/**
 * The admin's Settings preview: built with the page entries so that it loads the very files shops load (core,
 * the product and cart entries' components); no shop page loads it, so the loader is not told of it.
 */
const ADMIN_ENTRIES = { preview: 'storefront/src/preview/preview.ts' };

/**
 * One `core` chunk for what every page entry shares (Lit, the page context, the built-in theme profiles,
 * the message base, the card badges, the cart reader and how a cart line is named): a page loads two files, its entry and core, and
 * core stays cached from page to page. Split finer, gzip loses more to file boundaries than caching gains.
 */
const CORE_ROOTS = [
  'storefront/src/lib/page-context.ts',
  'storefront/src/lib/card-badges.ts',
  'storefront/src/components/shared.ts',
  // Product, cart and cart-preview pages all read the cart: a few hundred bytes, not worth a file of its own.
  'storefront/src/lib/storefront-cart.ts',
  // The cart's messages name a line, and so does the product page's post-add announcement: a few dozen bytes.
  'storefront/src/lib/line-name.ts',
];

/**
 * The chunk the cart page and the header's cart preview share: the checkout hold and the line messages. Named here,
 * though Rollup would make it anyway, so that it stays one file whatever else comes to import a part of it (the
 * admin's preview imports the line names too, which are in core now): left to Rollup, that part would be a file of
 * its own, one more request for every cart page.
 */
const CART_ROOTS = ['storefront/src/lib/checkout-hold.ts', 'storefront/src/lib/cart-lines.ts'];

/** Puts each module in the first named chunk whose roots import it (core first), the rest where Rollup would. */
function namedChunks(chunks) {
  let chunkOf;
  return (id, { getModuleIds, getModuleInfo }) => {
    if (!chunkOf) {
      chunkOf = new Map();
      for (const [name, roots] of Object.entries(chunks)) {
        const visit = (moduleId) => {
          if (chunkOf.has(moduleId)) return;
          chunkOf.set(moduleId, name);
          for (const imported of getModuleInfo(moduleId)?.importedIds ?? []) visit(imported);
        };
        for (const moduleId of getModuleIds()) if (roots.some((root) => moduleId.endsWith(root))) visit(moduleId);
      }
    }
    return chunkOf.get(id);
  };
}

/** Filled while the entries are written; the loader build reads it. */
const entryFiles = {};
/** The admin's entries, by name. */
const adminFiles = {};

/** Records entry names → files, and every file's static imports, in manifest.json. */
function manifest() {
  return {
    name: 'backorder-manifest',
    generateBundle(_options, bundle) {
      const imports = {};
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        imports[file.fileName] = file.imports;
        if (file.isEntry && !(file.name in ADMIN_ENTRIES)) entryFiles[file.name] = file.fileName;
        else if (file.isEntry) adminFiles[file.name] = file.fileName;
      }
      const source = JSON.stringify({ entries: entryFiles, admin: adminFiles, imports }, null, 2);
      this.emitFile({ type: 'asset', fileName: 'manifest.json', source });
    },
  };
}

/** Writes the hashed entry names into the loader in place of `__BACKORDER_ENTRIES__`. */
function entryNames() {
  return {
    name: 'backorder-entry-names',
    transform(code) {
      return code.includes('__BACKORDER_ENTRIES__') ? code.replaceAll('__BACKORDER_ENTRIES__', `(${JSON.stringify(entryFiles)})`) : null;
    },
  };
}

export default [
  {
    input: { ...pageEntries, ...ADMIN_ENTRIES },
    output: {
      dir: out,
      format: 'es',
      entryFileNames: '[name]-[hash].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      manualChunks: namedChunks({ core: CORE_ROOTS, 'checkout-hold': CART_ROOTS }),
    },
    plugins: [...plugins(), manifest()],
  },
  {
    input: path.join(src, 'loader.ts'),
    output: { file: path.join(out, 'loader.js'), format: 'iife' },
    // After esbuild, so the replacement meets plain JavaScript (no `declare`).
    plugins: [...plugins(), entryNames()],
  },
  {
    input: path.join(src, 'checkout.ts'),
    output: { file: path.join(out, 'checkout.js'), format: 'iife', inlineDynamicImports: true },
    plugins: [nodeResolve({ browser: true }), commonjs(), ...plugins().slice(1)],
  },
];
