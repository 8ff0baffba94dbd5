/**
 * `npm ci --omit=dev` installs `dependencies` only, so they must hold every package production loads, and
 * nothing else: what only the sandbox store, the tests, benchmarks or soak runs need is a devDependency.
 * Production is what an operator runs (web, worker, start without the sandbox, migrate, reconcile,
 * cli, billing-export) and what every `npm ci` runs: the storefront build, with the sources it bundles.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from '../../helpers/imports.ts';
import { ROOT } from '../../helpers/processes.ts';

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const dependencies = Object.keys(manifest.dependencies);
const devDependencies = Object.keys(manifest.devDependencies);

const PRODUCTION_ENTRIES = [
  'scripts/run.mjs',
  'scripts/after-install.mjs',
  'scripts/build-storefront.ts',
  'scripts/web.ts',
  'scripts/worker.ts',
  'scripts/start.ts',
  'scripts/migrate.ts',
  'scripts/reconcile.ts',
  'scripts/cli.ts',
  'scripts/billing-export.ts',
  'rollup.config.mjs',
  ...sourceFiles('storefront/src/entries'),
];

/** Needed in production though no source file imports them by name. */
const LOADED_OTHERWISE: Record<string, string> = {
  tsx: 'scripts/run.mjs and the storefront build run TypeScript through `node --import tsx`',
};

/** The packages production loads, following every import from its entry points but the sandbox's (loaded only when on, in development). */
function productionPackages(): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [...PRODUCTION_ENTRIES];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of importsOf(file)) {
      if (imported.typeOnly) continue;
      if (imported.packageName) packages.add(imported.packageName);
      if (imported.file && !(imported.dynamic && imported.file.startsWith('sandbox/'))) queue.push(imported.file);
    }
  }
  return packages;
}

describe('production’s packages and development’s', () => {
  const loaded = productionPackages();
  const production = new Set([...loaded, ...Object.keys(LOADED_OTHERWISE)]);

  it('when production’s entry points are followed, then every package they load is a dependency, not a devDependency', () => {
    expect([...loaded].filter((name) => !dependencies.includes(name))).toEqual([]);
  });

  it('when a package is a dependency, then production loads it; anything else belongs in devDependencies', () => {
    expect(dependencies.filter((name) => !production.has(name))).toEqual([]);
  });

  it('when the sandbox store needs a package production does not, then it is a devDependency', () => {
    const sandboxOnly = new Set(
      sourceFiles('sandbox')
        .flatMap(importsOf)
        .filter((i) => !i.typeOnly && i.packageName !== undefined && !production.has(i.packageName))
        .map((i) => i.packageName!),
    );
    expect([...sandboxOnly].sort()).toEqual(['@bigcommerce/stencil-utils', 'handlebars', 'jquery']);
    for (const name of sandboxOnly) expect(devDependencies).toContain(name);
  });
});
