/**
 * The operator guide's backup and restore, as written there: `pg_dump --format=custom` of the app's
 * database, `pg_restore` into an empty one, and the app finds every row and a migrated schema.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.ts';
import { pendingMigrations } from '../../../server/db/migrate.ts';
import { createEmptyDatabase, useTestDatabase } from '../../helpers/database.ts';
import { assignProduct, createStore, stockOf } from '../../helpers/inventory.ts';

const database = useTestDatabase();

describe('backing up and restoring PostgreSQL', () => {
  it('when the database is dumped with pg_dump and restored with pg_restore into an empty one, then the restore holds every row and needs no migration', async () => {
    const storeHash = await createStore(database.db, 'backupstore');
    const item = await assignProduct(database.db, storeHash, { currentStock: 7, backorderThreshold: 3 });
    const restoreUrl = await createEmptyDatabase();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backorder-backup-'));
    try {
      const dump = path.join(dir, 'backorder.dump');
      execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, database.url], { stdio: 'pipe' });
      execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restoreUrl}`, dump], { stdio: 'pipe' });

      const restored = await openDatabase({ databaseUrl: restoreUrl });
      try {
        expect(await pendingMigrations(restored.db)).toEqual([]);
        expect(await stockOf(restored.db, item.id)).toMatchObject({ currentStock: 7 });
        expect(await restored.db.selectFrom('stores').select('store_hash').execute()).toEqual([{ store_hash: 'backupstore' }]);
      } finally {
        await restored.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
