/** Rows of `imports`: an uploaded file, what it is for, and what came of it. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Import } from '../db/schema.ts';
import type { FieldProblem } from '../errors.ts';
import type { ValueColumn } from './csv-format.ts';

/** Bytes per part of a stored file: what the upload and a run hold of it at once. */
export const PART_BYTES = 256 * 1024;

/** `content` cut into parts of at most `partBytes`, in order, whatever the sizes of its chunks. */
async function* partsOf(content: Buffer | AsyncIterable<Buffer>, partBytes: number): AsyncGenerator<Buffer> {
  const chunks = Buffer.isBuffer(content) ? [content] : content;
  for await (const chunk of chunks) {
    for (let from = 0; from < chunk.length; from += partBytes) yield chunk.subarray(from, from + partBytes);
  }
}

/** An import to store: what it is for, and its file. */
export interface NewImport {
  storeHash: string;
  mode: 'assign' | 'update';
  columns: ValueColumn[];
  filename: string;
  content: Buffer | AsyncIterable<Buffer>;
}

/**
 * Stores an import and its file, part by part as `content` is read (the upload's temporary file, streamed),
 * in one transaction: a run never finds an import whose file is half stored.
 */
export async function insertImport(db: Db, row: NewImport, partBytes = PART_BYTES): Promise<number> {
  return (await insertImportOnce(db, row, partBytes)).id;
}

/**
 * `insertImport` for the upload form's post, once per `uploadKey`: the same form posted again stores nothing
 * and finds the import the first post stored (`repeated`), waiting for it while that post is still storing
 * its file (the unique key holds the second insert until the first commits).
 */
export async function insertImportOnce(db: Db, row: NewImport & { uploadKey?: string }, partBytes = PART_BYTES): Promise<{ id: number; repeated: boolean }> {
  const stored = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('imports')
      .values({ store_hash: row.storeHash, mode: row.mode, columns: row.columns, filename: row.filename, upload_key: row.uploadKey ?? null })
      .onConflict((conflict) => conflict.columns(['store_hash', 'upload_key']).where('upload_key', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return undefined;
    const { id } = inserted;
    let part = 0;
    let bytes = 0;
    for await (const slice of partsOf(row.content, partBytes)) {
      await trx.insertInto('import_file_parts').values({ store_hash: row.storeHash, import_id: id, part: part++, bytes: slice }).execute();
      bytes += slice.length;
    }
    await trx.updateTable('imports').set({ byte_size: bytes }).where('id', '=', id).execute();
    return id;
  });
  if (stored !== undefined) return { id: stored, repeated: false };
  const first = await db
    .selectFrom('imports')
    .select('id')
    .where('store_hash', '=', row.storeHash)
    .where('upload_key', '=', row.uploadKey ?? null)
    .executeTakeFirstOrThrow();
  return { id: first.id, repeated: true };
}

/** Whether the import's file still waits to be read (a run deletes it once read). */
const fileUnread = sql<boolean>`exists (select from import_file_parts p where p.import_id = imports.id)`;

/** An import as its page shows it, with whether its file still waits to be read (kept until a run has read it). */
export type ImportRecord = Import & { unread: boolean };

/** The oldest import of the store whose file waits to be read, claimed by run `jobId` (its file is read part by part: `importContent`). */
export async function claimNextImport(db: Db, storeHash: string, jobId: number): Promise<Import | undefined> {
  const { rows } = await sql<Import>`
    update imports set job_id = ${jobId}
    where id = (select id from imports where store_hash = ${storeHash} and ${fileUnread} and (job_id is null or job_id = ${jobId})
                order by id limit 1)
    returning *`.execute(db);
  return rows[0];
}

/** The import's stored file, part by part, so a run never holds the whole file. */
export async function* importContent(db: Db, storeHash: string, importId: number): AsyncGenerator<Buffer> {
  for (let part = 0; ; part++) {
    const row = await db
      .selectFrom('import_file_parts')
      .select('bytes')
      .where('store_hash', '=', storeHash)
      .where('import_id', '=', importId)
      .where('part', '=', part)
      .executeTakeFirst();
    if (!row) return;
    yield row.bytes;
  }
}

/** Whether the store has an uploaded file no run has claimed (uploaded just as the last run ended, or left by a run that stopped). */
export async function hasUnclaimedImport(db: Db, storeHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('imports')
    .select('id')
    .where('store_hash', '=', storeHash)
    .where(fileUnread)
    .where('job_id', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findImport(db: Db, storeHash: string, importId: number): Promise<ImportRecord | undefined> {
  return db.selectFrom('imports').selectAll().select(fileUnread.as('unread')).where('store_hash', '=', storeHash).where('id', '=', importId).executeTakeFirst();
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

/** The import has run: its file is dropped, its outcome kept (the problems, at most `MAX_KEPT` and a count of the rest, and their number; or the rows applied). */
export async function finishImport(db: Db, storeHash: string, importId: number, outcome: ImportOutcome): Promise<void> {
  await db.transaction().execute((trx) => recordOutcome(trx, storeHash, importId, outcome));
}

export interface ImportOutcome {
  problems?: FieldProblem[];
  rowsApplied?: number;
}

/** `finishImport` within a transaction of the caller's: the one that applies the file, so a run retried after it finds the file read. */
export async function recordOutcome(trx: Db, storeHash: string, importId: number, outcome: ImportOutcome): Promise<void> {
  await trx.deleteFrom('import_file_parts').where('store_hash', '=', storeHash).where('import_id', '=', importId).execute();
  await trx
    .updateTable('imports')
    .set({
      problems: outcome.problems ? JSON.stringify(keptProblems(outcome.problems)) : null,
      problem_count: outcome.problems ? outcome.problems.length : null,
      rows_applied: outcome.rowsApplied ?? null,
    })
    .where('store_hash', '=', storeHash)
    .where('id', '=', importId)
    .execute();
}

/** Problems kept per import: enough to fix a file, bounded for a file where every row is wrong. */
export const MAX_KEPT = 1_000;
