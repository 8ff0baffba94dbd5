/**
 * The storefront bundle is built once per change of what it is made from: its sources, the Rollup config
 * and the lockfile (the versions of Lit and checkout-sdk inside it).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStorefront, storefrontBuildState } from '../../../scripts/lib/build-storefront.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'storefront-build-'));
  await mkdir(path.join(root, 'storefront', 'src'), { recursive: true });
  await writeFile(path.join(root, 'storefront', 'src', 'entry.ts'), 'export const x = 1;\n');
  // A config with no bundles: what is measured here is when a build is due, not Rollup.
  await writeFile(path.join(root, 'rollup.config.mjs'), 'export default [];\n');
  await writeFile(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{"node_modules/lit":{"version":"3.3.0"}}}\n');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('the storefront build', () => {
  it('when nothing changed since the last build, then it is current and not built again', async () => {
    expect(storefrontBuildState(root)).toBe('missing');
    expect(await buildStorefront(root)).toBe(true);
    expect(storefrontBuildState(root)).toBe('current');
    expect(await buildStorefront(root)).toBe(false);
  });

  it.each([
    ['a source', 'storefront/src/entry.ts', 'export const x = 2;\n'],
    ['the Rollup config', 'rollup.config.mjs', 'export default [ ];\n'],
    ['the lockfile', 'package-lock.json', '{"lockfileVersion":3,"packages":{"node_modules/lit":{"version":"3.3.3"}}}\n'],
  ])('when %s changed, then the build is stale and built again', async (_what, file, content) => {
    await buildStorefront(root);
    await writeFile(path.join(root, file), content);
    expect(storefrontBuildState(root)).toBe('stale');
    expect(await buildStorefront(root)).toBe(true);
    expect(storefrontBuildState(root)).toBe('current');
  });
});
