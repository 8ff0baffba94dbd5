/**
 * scripts/derive-schemas.ts takes the folder of BigCommerce's OpenAPI files as an argument; a folder that
 * is missing, or lacks a file, is refused with where BigCommerce publishes them, and the committed schemas
 * stay as they are. (The tests never read the OpenAPI files themselves.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/process.ts';

const schemasDir = path.join(ROOT, 'test', 'schemas');
let emptyDir: string | undefined;
afterEach(() => {
  if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
});

function derive(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/derive-schemas.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('deriving the schemas', () => {
  it('when the folder given does not exist, then it fails saying where BigCommerce publishes the files', () => {
    const missing = path.join(tmpdir(), 'backorder-no-such-openapi');
    const result = derive(missing);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`No OpenAPI folder at ${missing}.`);
    expect(result.stderr).toMatch(/https:\/\/github\.com\/bigcommerce\/docs, in the reference\/ folder/);
  }, 30_000);

  it('when the folder given lacks the files, then it names them and leaves the committed schemas untouched', () => {
    emptyDir = mkdtempSync(path.join(tmpdir(), 'backorder-openapi-'));
    const before = readdirSync(schemasDir).sort();
    const result = derive(emptyDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`products_catalog\\.v3\\.yml[^\\n]* not in ${emptyDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. BigCommerce publishes`),
    );
    expect(readdirSync(schemasDir).sort()).toEqual(before);
    expect(before.length).toBeGreaterThan(10);
  }, 30_000);
});
