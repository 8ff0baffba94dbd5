/**
 * PGlite, PostgreSQL in WebAssembly, is loaded only by a process that embeds it: a web or worker process on
 * a PostgreSQL server never imports it (it would add about 30 MB to each). A child process opens the
 * database with a module-resolution hook that lists every package URL it resolves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const folder = mkdtempSync(path.join(tmpdir(), 'backorder-pglite-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The package URLs resolved while a process opens the database with `options` and asks it one query; whether it answered. */
function resolvedWhileOpening(options: string): { resolved: string[]; answered: boolean } {
  const log = path.join(folder, `resolved-${Math.random().toString(36).slice(2)}.txt`);
  const hooks = path.join(folder, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.includes('/node_modules/')) appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
  return resolved;
}`,
  );
  const register = path.join(folder, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});`);
  const script = `
    import { openDatabase } from ${JSON.stringify(pathToFileURL(path.join(root, 'server/db/database.ts')).href)};
    const database = await openDatabase(${options});
    process.stdout.write(await database.ping().then(() => 'answered', () => 'no answer'));
    await database.close();`;
  const run = spawnSync(process.execPath, ['--import', register, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return { resolved: readFileSync(log, 'utf8').split('\n').filter(Boolean), answered: run.stdout === 'answered' };
}

describe('loading PGlite', () => {
  it('when the database is a PostgreSQL server, then PGlite is never loaded', () => {
    const { resolved } = resolvedWhileOpening(`{ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' }`);
    expect(resolved.some((url) => url.includes('/node_modules/pg/'))).toBe(true);
    expect(resolved.filter((url) => url.includes('@electric-sql/pglite'))).toEqual([]);
  });

  it('when the database is embedded, then PGlite is loaded and answers', () => {
    const { resolved, answered } = resolvedWhileOpening('{}');
    expect(resolved.some((url) => url.includes('@electric-sql/pglite'))).toBe(true);
    expect(answered).toBe(true);
  });
});
