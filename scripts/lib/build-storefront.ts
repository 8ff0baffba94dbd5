/**
 * Builds the storefront bundles with rollup.config.mjs, skipping the work when nothing under
 * storefront/src (nor the config) changed since the last build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rollup, type RollupOptions, type OutputOptions } from 'rollup';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

function sourceDigest(root: string): string {
  const hash = createHash('sha256');
  const files = [...filesUnder(path.join(root, 'storefront', 'src')), path.join(root, 'rollup.config.mjs')].sort();
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

/** Builds into storefront/dist; returns false when the existing build was already current. */
export async function buildStorefront(root: string, options: { force?: boolean } = {}): Promise<boolean> {
  const stamp = path.join(root, 'storefront', 'dist', '.source-digest');
  const digest = sourceDigest(root);
  if (!options.force && existsSync(stamp) && statSync(stamp).isFile() && readFileSync(stamp, 'utf8') === digest) {
    return false;
  }
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
  writeFileSync(stamp, digest);
  return true;
}
