/**
 * The import job: streams the uploaded file (rows counted on the progress bar), validates the whole file
 * — format, items, plan limit, values — and only then applies it, all or nothing: "import to assign" in
 * one transaction under the plan's lock (BigCommerce follows in the assign job), "import to update" in one
 * transaction of set-based statements. A file with problems changes nothing; every problem is kept for
 * the import's page (line, column, reason).
 */
import { Readable } from 'node:stream';
import { afterAssigning, createAssignments, planAssignments } from '../assignments/assignments.service.ts';
import { AppError, type FieldProblem } from '../errors.ts';
import { editItems } from '../inventory/item-edits.service.ts';
import { describe, isRetryable, type Attempt, type Progress, type StoreJobData, type StoreJobDeps } from '../jobs/jobs.service.ts';
import type { Import } from '../db/schema.ts';
import { todayInStore } from '../stores/stores.repo.ts';
import { readCsv, UnreadableFile } from './csv-read.ts';
import type { ValueColumn } from './csv-format.ts';
import { assignRequestsOf, itemEditsOf } from './import-targets.ts';
import { claimNextImport, finishImport } from './imports.repo.ts';

const CHUNK_BYTES = 64 * 1024;

function chunksOf(content: Buffer): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < content.length; i += CHUNK_BYTES) yield content.subarray(i, i + CHUNK_BYTES);
  })());
}

function refused(problems: FieldProblem[]): AppError {
  const n = problems.length;
  return new AppError('validation', `Nothing was imported: ${n.toLocaleString('en-US')} problem${n === 1 ? '' : 's'} in the file. Fix ${n === 1 ? 'it' : 'them'} and import the file again.`, { problems });
}

/** Validates and applies one import; returns the rows applied, or throws (nothing applied) with every problem. */
export async function applyImport(deps: StoreJobDeps, row: Import, progress?: Progress): Promise<number> {
  const storeHash = row.store_hash;
  let read;
  try {
    read = await readCsv(chunksOf(row.content ?? Buffer.alloc(0)), {
      onRows: (count) => progress?.say(`Reading the file: ${count.toLocaleString('en-US')} rows`) ?? Promise.resolve(),
      today: await todayInStore(deps.db, storeHash),
    });
  } catch (error) {
    if (error instanceof UnreadableFile) throw refused([{ field: error.field, message: error.message }]);
    throw error;
  }
  const problems = read.problems;
  await progress?.say(`Checking ${read.rows.length.toLocaleString('en-US')} rows against the catalog`);
  if (row.mode === 'assign') {
    const requests = await assignRequestsOf(deps.db, storeHash, read.rows, problems);
    let planned: Awaited<ReturnType<typeof planAssignments>> = [];
    try {
      planned = await planAssignments(deps.db, storeHash, requests);
    } catch (error) {
      if (!(error instanceof AppError && error.details.problems)) throw error;
      problems.push(...error.details.problems);
    }
    if (problems.length > 0) throw refused(sortByLine(problems));
    await progress?.say(`Assigning ${planned.length.toLocaleString('en-US')} products`);
    const itemIds = await createAssignments(deps.db, storeHash, planned);
    if (deps.storeJobs) await afterAssigning({ db: deps.db, storeJobs: deps.storeJobs, effects: deps.effects }, storeHash, itemIds);
    return read.rows.length;
  }
  const columns = read.columns.filter((c) => row.columns.includes(c)) as ValueColumn[];
  if (columns.length === 0) problems.push({ field: 'columns', message: `none of the columns chosen to overwrite (${row.columns.join(', ') || 'none'}) is in the file` });
  const edits = await itemEditsOf(deps.db, storeHash, read.rows, columns, problems);
  if (problems.length > 0) throw refused(sortByLine(problems));
  await progress?.say(`Updating ${edits.length.toLocaleString('en-US')} items`);
  try {
    await editItems(deps, storeHash, edits, { reason: 'import', runKey: `import-${row.id}` });
  } catch (error) {
    if (error instanceof AppError && error.details.problems) throw refused(error.details.problems);
    throw error;
  }
  return edits.length;
}

function lineOf(problem: FieldProblem): number {
  return Number(/line (\d+)/.exec(problem.field)?.[1] ?? 0);
}

function sortByLine(problems: FieldProblem[]): FieldProblem[] {
  return [...problems].sort((a, b) => lineOf(a) - lineOf(b));
}

/**
 * The import job: runs the store's waiting imports, oldest first. A refused file keeps its problems on its
 * own page and does not hold back the files queued behind it; the run fails at the end when any file was
 * refused, naming each file's outcome. An unexpected error is tried again with the run (a few times: the
 * merchant is waiting); on the last try, or when trying again cannot help, the file is marked as not
 * imported with the reason, and the files behind it are read.
 */
export async function runImportJob(deps: StoreJobDeps, data: StoreJobData, progress: Progress, attempt: Attempt): Promise<string> {
  const outcomes: string[] = [];
  let refusedFiles = 0;
  const lastTry = attempt.attemptsMade + 1 >= attempt.attempts;
  for (let row = await claimNextImport(deps.db, data.storeHash, data.jobId); row; row = await claimNextImport(deps.db, data.storeHash, data.jobId)) {
    const name = row.filename || 'The file';
    await progress.setTotal(null, `Reading ${row.filename || 'the file'}`);
    try {
      const applied = await applyImport(deps, row, progress);
      await finishImport(deps.db, row.store_hash, row.id, { rowsApplied: applied });
      outcomes.push(`${name}: ${applied.toLocaleString('en-US')} row${applied === 1 ? '' : 's'} ${row.mode === 'assign' ? 'assigned' : 'updated'}.`);
      await progress.setTotal(1);
      await progress.advance(1);
    } catch (error) {
      let problems: FieldProblem[];
      let message: string;
      if (error instanceof AppError && error.kind === 'validation') {
        problems = error.details.problems?.length ? error.details.problems : [{ field: 'file', message: error.message }];
        message = error.message;
      } else if (lastTry || !isRetryable(error)) {
        deps.logger.error({ err: error, storeHash: data.storeHash, importId: row.id }, 'import failed on an unexpected error');
        message = `The file was not imported: an unexpected error stopped it (${describe(error)}). Import it again; if this happens again, the error is ours to fix.`;
        problems = [{ field: 'file', message }];
      } else {
        throw error;
      }
      await finishImport(deps.db, row.store_hash, row.id, { problems });
      outcomes.push(`${name}: ${message}`);
      refusedFiles += 1;
    }
  }
  if (refusedFiles > 0) throw new AppError('validation', outcomes.join(' '));
  return outcomes.join(' ') || 'There was no file waiting to be imported.';
}
