/**
 * An import's file is stored as the upload is read, in parts of at most PART_BYTES, and read back part by
 * part: neither the web process nor the worker holds the whole file (up to 20 MB).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findImport, finishImport, importContent, insertImport, PART_BYTES } from '../../../server/imports/imports.repo.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { createStore } from '../../helpers/inventory.ts';

const database = useTestDatabase();
const store = 'parts1';
beforeAll(async () => {
  await createStore(database.db, store);
});

/** Chunks as a file stream hands them out: here of uneven sizes, one larger than a part. */
async function* chunksOf(file: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let from = 0;
  for (const size of sizes) {
    yield file.subarray(from, from + size);
    from += size;
  }
  if (from < file.length) yield file.subarray(from);
}

describe('an import’s stored file', () => {
  it('when a file arrives in chunks, then it is kept in parts of at most 256 KB and read back byte for byte', async () => {
    const file = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `SKU-${i},${i % 50}\n`).join(''), 'utf8');
    expect(file.length).toBeGreaterThan(2 * PART_BYTES);
    const id = await insertImport(database.db, {
      storeHash: store,
      mode: 'update',
      columns: ['current_stock'],
      filename: 'stock.csv',
      content: chunksOf(file, [1_000, PART_BYTES + 7, 3]),
    });

    const parts = await database.db.selectFrom('import_file_parts').select(['part', 'bytes']).where('import_id', '=', id).orderBy('part').execute();
    expect(parts.length).toBeGreaterThan(3);
    expect(Math.max(...parts.map((p) => p.bytes.length))).toBeLessThanOrEqual(PART_BYTES);
    const read: Buffer[] = [];
    for await (const part of importContent(database.db, store, id)) read.push(part);
    expect(Buffer.concat(read).equals(file)).toBe(true);
    expect(await findImport(database.db, store, id)).toMatchObject({ byte_size: file.length, unread: true });

    await finishImport(database.db, store, id, { rowsApplied: 60_000 });
    expect(await findImport(database.db, store, id)).toMatchObject({ byte_size: file.length, unread: false, rows_applied: 60_000 });
    expect(await database.db.selectFrom('import_file_parts').select('part').where('import_id', '=', id).execute()).toEqual([]);
  });

  it('when reading the file fails part way, then no import is kept', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('sku,current_stock\n');
      throw new Error('the upload’s temporary file went away');
    }
    const before = await database.db.selectFrom('imports').select('id').where('store_hash', '=', store).execute();
    await expect(
      insertImport(database.db, { storeHash: store, mode: 'update', columns: ['current_stock'], filename: 'gone.csv', content: broken() }),
    ).rejects.toThrow('went away');
    expect(await database.db.selectFrom('imports').select('id').where('store_hash', '=', store).execute()).toEqual(before);
  });
});
