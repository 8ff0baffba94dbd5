/**
 * The bundles production runs web and worker from (scripts/lib/server-build.mjs): built from the sources,
 * kept while every source is unchanged, built again when one changes, and finding the repository's files
 * from where the bundle lies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBundle } from '../../../scripts/lib/server-build.mjs';
import { ROOT } from '../../helpers/processes.ts';

let project: string | undefined;

/** A project of its own: package.json, an entry that prints a word from another module and where the root is. */
function fakeProject(word: string): string {
  project = mkdtempSync(path.join(os.tmpdir(), 'backorder-server-build-'));
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'fake', type: 'module' }));
  mkdirSync(path.join(project, 'scripts', 'lib'), { recursive: true });
  writeFileSync(path.join(project, 'scripts', 'lib', 'word.ts'), `export const word: string = '${word}';\n`);
  writeFileSync(
    path.join(project, 'scripts', 'hello.ts'),
    `import { word } from './lib/word.ts';\nimport { ROOT_DIR } from '${path.join(ROOT, 'server', 'root.ts')}';\nconsole.log(JSON.stringify({ word, root: ROOT_DIR }));\n`,
  );
  return project;
}

const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as { word: string; root: string };
const quiet = { log: () => undefined };

afterEach(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  project = undefined;
});

describe('the production bundles of web and worker', () => {
  it('when built, then the bundle runs with plain Node, beside a stamp and a source map, and finds the root from where it lies', async () => {
    const root = fakeProject('first');
    const { file, built } = await ensureBundle(root, 'scripts/hello.ts', quiet);
    expect(built).toBe(true);
    expect(file).toBe(path.join(root, 'dist', 'server', 'hello.js'));
    expect(run(file)).toEqual({ word: 'first', root });
    expect(
      execFileSync('ls', [path.dirname(file)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean),
    ).toEqual(['hello.js', 'hello.js.map', 'hello.json']);
  });

  it('when no source changed, then the bundle is kept; when one did, then it is built again and runs the new code', async () => {
    const root = fakeProject('first');
    await ensureBundle(root, 'scripts/hello.ts', quiet);
    expect((await ensureBundle(root, 'scripts/hello.ts', quiet)).built).toBe(false);

    writeFileSync(path.join(root, 'scripts', 'lib', 'word.ts'), `export const word: string = 'second';\n`);
    const lines: string[] = [];
    const again = await ensureBundle(root, 'scripts/hello.ts', { log: (line) => lines.push(line) });
    expect(again.built).toBe(true);
    expect(lines[0]).toBe('backorder: building dist/server/hello.js from scripts/hello.ts (esbuild) ...');
    expect(run(again.file).word).toBe('second');
  });

  it('when the stamp is missing or unreadable, then the bundle is built again', async () => {
    const root = fakeProject('first');
    const stamp = path.join(root, 'dist', 'server', 'hello.json');
    await ensureBundle(root, 'scripts/hello.ts', quiet);
    rmSync(stamp);
    expect((await ensureBundle(root, 'scripts/hello.ts', quiet)).built).toBe(true);
    writeFileSync(stamp, '{ not json');
    expect((await ensureBundle(root, 'scripts/hello.ts', quiet)).built).toBe(true);
    expect((await ensureBundle(root, 'scripts/hello.ts', quiet)).built).toBe(false);
  });
});
