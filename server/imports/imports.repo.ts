/** Rows of `imports`: an uploaded file, what it is for, and what came of it. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Import } from '../db/schema.ts';
import type { FieldProblem } from '../errors.ts';
import type { ValueColumn } from './csv-format.ts';

export async function insertImport(
  db: Db,
  row: { storeHash: string; mode: 'assign' | 'update'; columns: ValueColumn[]; filename: string; content: Buffer },
): Promise<number> {
  const inserted = await db
    .insertInto('imports')
    .values({ store_hash: row.storeHash, mode: row.mode, columns: row.columns, filename: row.filename, content: row.content, byte_size: row.content.length })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** An import as a run reads it: everything but its file, which it reads in slices (`importContent`). */
export type ImportRun = Omit<Import, 'content'>;

/**
 * An import as its page shows it: everything but the file (up to 20 MB, and the page's progress bar asks
 * every second), and whether the file still waits to be read (kept until a run has read it).
 */
export type ImportRecord = ImportRun & { unread: boolean };

/** The oldest import of the store not yet run, claimed by run `jobId` (without its file). */
export async function claimNextImport(db: Db, storeHash: string, jobId: number): Promise<ImportRun | undefined> {
  const { rows } = await sql<ImportRun>`
    update imports set job_id = ${jobId}
    where id = (select id from imports where store_hash = ${storeHash} and content is not null and (job_id is null or job_id = ${jobId})
                order by id limit 1)
    returning id, store_hash, job_id, mode, columns, filename, byte_size, problems, rows_applied, created_at`.execute(db);
  return rows[0];
}

/** Bytes per slice of a stored file read by `importContent`. */
export const SLICE_BYTES = 256 * 1024;

/**
 * The import's stored file, slice by slice (substring of the column: stored uncompressed out of line, a
 * slice reads only its own pages), so a run never holds the whole file.
 */
export async function* importContent(db: Db, storeHash: string, importId: number, sliceBytes = SLICE_BYTES): AsyncGenerator<Buffer> {
  for (let from = 1; ; from += sliceBytes) {
    const row = await db
      .selectFrom('imports')
      .select(sql<Buffer | null>`substring(content from ${from}::int for ${sliceBytes}::int)`.as('part'))
      .where('store_hash', '=', storeHash)
      .where('id', '=', importId)
      .executeTakeFirst();
    const part = row?.part;
    if (!part || part.length === 0) return;
    yield part;
    if (part.length < sliceBytes) return;
  }
}

/** Whether the store has an uploaded file no run has claimed (uploaded just as the last run ended, or left by a run that stopped). */
export async function hasUnclaimedImport(db: Db, storeHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('imports')
    .select('id')
    .where('store_hash', '=', storeHash)
    .where('content', 'is not', null)
    .where('job_id', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findImport(db: Db, storeHash: string, importId: number): Promise<ImportRecord | undefined> {
  return db
    .selectFrom('imports')
    .select(['id', 'store_hash', 'job_id', 'mode', 'columns', 'filename', 'byte_size', 'problems', 'rows_applied', 'created_at'])
    .select(sql<boolean>`content is not null`.as('unread'))
    .where('store_hash', '=', storeHash)
    .where('id', '=', importId)
    .executeTakeFirst();
}

/** The problems kept: the first `MAX_KEPT`, then one line saying how many more the file has. */
function keptProblems(problems: FieldProblem[]): FieldProblem[] {
  if (problems.length <= MAX_KEPT) return problems;
  const more = problems.length - MAX_KEPT;
  return [
    ...problems.slice(0, MAX_KEPT),
    {
      field: 'file',
      message: `${more.toLocaleString('en-US')} more problem${more === 1 ? ' is' : 's are'} not listed: fix these and import the file again to see them`,
    },
  ];
}

/** The import has run: its file is dropped, its outcome kept (the problems, at most `MAX_KEPT` and a count of the rest, or the rows applied). */
export async function finishImport(db: Db, storeHash: string, importId: number, outcome: { problems?: FieldProblem[]; rowsApplied?: number }): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      content: null,
      problems: outcome.problems ? JSON.stringify(keptProblems(outcome.problems)) : null,
      rows_applied: outcome.rowsApplied ?? null,
    })
    .where('store_hash', '=', storeHash)
    .where('id', '=', importId)
    .execute();
}

/** Problems kept per import: enough to fix a file, bounded for a file where every row is wrong. */
export const MAX_KEPT = 1_000;
