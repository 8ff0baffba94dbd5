/**
 * The sandbox store is a second, independent implementation of BigCommerce: it never imports the app, and
 * the app never imports it. Only the start script, tests, benchmarks and soak runs bring the two together,
 * and the app reaches the sandbox over HTTP alone (BC_API_URL / BC_LOGIN_URL).
 */
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from '../../helpers/imports.ts';

const inSandbox = (file: string) => file.startsWith('sandbox/');

describe('the sandbox, apart from the app', () => {
  it('when the app’s code is read, then nothing in server/ imports sandbox/', () => {
    const crossing = sourceFiles('server')
      .flatMap(importsOf)
      .filter((i) => i.file !== undefined && inSandbox(i.file))
      .map((i) => `${i.from} → ${i.specifier}`);
    expect(crossing).toEqual([]);
  });

  it('when the sandbox’s code is read, then it imports its own files and npm packages only, nothing of the app', () => {
    const files = sourceFiles('sandbox');
    expect(files.length).toBeGreaterThan(40);
    const crossing = files
      .flatMap(importsOf)
      .filter((i) => i.file !== undefined && !inSandbox(i.file))
      .map((i) => `${i.from} → ${i.specifier}`);
    expect(crossing).toEqual([]);
  });

  it('when code outside both imports the sandbox, then it is the start script, a test, a benchmark or a soak run', () => {
    const importers = new Set(
      sourceFiles('scripts', 'bench', 'soak', 'test', 'storefront')
        .flatMap(importsOf)
        .filter((i) => i.file !== undefined && inSandbox(i.file))
        .map((i) => i.from),
    );
    expect(importers.size).toBeGreaterThan(10);
    const others = [...importers].filter((file) => file !== 'scripts/start.ts' && !/^(test|bench|soak)\//.test(file));
    expect(others).toEqual([]);
  });
});
