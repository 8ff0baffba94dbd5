/**
 * `npm run screenshots` regenerates every picture the docs show, from nothing but the repository: it starts
 * its own PostgreSQL, Redis, sandbox and app, and writes one PNG per page it names.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnNode } from '../helpers/processes.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('npm run screenshots', () => {
  it('when run, then it writes a PNG of every admin page and shop page the docs show, and says which', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'backorder-shots-'));
    try {
      const spawned = spawnNode(['scripts/run.mjs', 'screenshots', '--out', out], { ...process.env });
      expect(await spawned.exited, spawned.output()).toBe(0);
      const written = (await readdir(out)).sort();
      expect(written).toEqual(
        [
          'admin-assign-form',
          'admin-assigned-products',
          'admin-import',
          'admin-plan',
          'admin-products',
          'admin-report',
          'admin-settings',
          'shop-cart',
          'shop-checkout',
          'shop-product-backorder',
          'shop-product-sold-out',
        ].map((name) => `${name}.png`),
      );
      for (const file of written) {
        const bytes = await readFile(path.join(out, file));
        expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), file).toBe(true);
        expect(bytes.length, file).toBeGreaterThan(10_000);
      }
      expect(spawned.output()).toMatch(/11 screenshots written to/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);
});
