/**
 * Builds the storefront bundles with rollup.config.mjs, skipping the work when nothing under
 * storefront/src (nor the config, nor the lockfile) changed since the last build; tells whether the build is current.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OutputOptions, RollupOptions } from 'rollup';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

function sourceDigest(root: string): string {
  const hash = createHash('sha256');
  // The lockfile too: Lit or checkout-sdk upgraded is a different bundle from the same sources.
  const files = [...filesUnder(path.join(root, 'storefront', 'src')), path.join(root, 'rollup.config.mjs'), path.join(root, 'package-lock.json')]
    .filter((file) => existsSync(file))
    .sort();
  // Paths relative to the root: a bundle built in one folder is still current once the folder is moved.
  for (const file of files) hash.update(path.relative(root, file)).update(readFileSync(file));
  return hash.digest('hex');
}

const stampOf = (root: string) => path.join(root, 'storefront', 'dist', '.source-digest');

/** Whether storefront/dist holds a build of the current sources: `missing`, `stale` or `current`. */
export function storefrontBuildState(root: string): 'missing' | 'stale' | 'current' {
  const stamp = stampOf(root);
  if (!existsSync(stamp) || !statSync(stamp).isFile()) return 'missing';
  return readFileSync(stamp, 'utf8') === sourceDigest(root) ? 'current' : 'stale';
}

/** Builds into storefront/dist; returns false when the existing build was already current. */
export async function buildStorefront(root: string, options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force && storefrontBuildState(root) === 'current') return false;
  const digest = sourceDigest(root);
  // Loaded here, so a process that only checks the build does not load Rollup.
  const { rollup } = await import('rollup');
  // Entries carry content hashes: start clean so no stale file is served or measured.
  rmSync(path.join(root, 'storefront', 'dist'), { recursive: true, force: true });
  const previousCwd = process.cwd();
  process.chdir(root);
  try {
    const configs = (await import(pathToFileURL(path.join(root, 'rollup.config.mjs')).href)).default as RollupOptions[];
    for (const config of configs) {
      const bundle = await rollup({ ...config, onwarn: (warning, warn) => (warning.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(warning)) });
      const outputs = (Array.isArray(config.output) ? config.output : [config.output]) as OutputOptions[];
      for (const output of outputs) await bundle.write(output);
      await bundle.close();
    }
  } finally {
    process.chdir(previousCwd);
  }
  mkdirSync(path.dirname(stampOf(root)), { recursive: true });
  writeFileSync(stampOf(root), digest);
  return true;
}
