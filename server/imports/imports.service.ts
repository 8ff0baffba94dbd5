/**
 * Importing one file: stream it (rows counted on the progress bar), validate the whole file — format, items,
 * plan limit, values — and only then apply it, all or nothing: "import to assign" in one transaction under
 * the plan's lock (BigCommerce follows in the assign job), "import to update" in one transaction of
 * set-based statements. A file with problems changes nothing; every problem is kept for the import's page
 * (line, column, reason).
 */
import { Readable } from 'node:stream';
import { afterAssigning, createAssignments, planAssignments } from '../assignments/assignments.service.ts';
import { AppError, type FieldProblem } from '../errors.ts';
import { editItems } from '../inventory/item-edits.service.ts';
import type { Progress, StoreJobDeps } from '../jobs/jobs.service.ts';
import type { Import } from '../db/schema.ts';
import { todayInStore } from '../stores/stores.repo.ts';
import { readCsv, UnreadableFile } from './csv-read.ts';
import type { ValueColumn } from './csv-format.ts';
import { assignRequestsOf, itemEditsOf } from './import-targets.ts';

const CHUNK_BYTES = 64 * 1024;

function chunksOf(content: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < content.length; i += CHUNK_BYTES) yield content.subarray(i, i + CHUNK_BYTES);
    })(),
  );
}

function refused(problems: FieldProblem[]): AppError {
  const n = problems.length;
  return new AppError(
    'validation',
    `Nothing was imported: ${n.toLocaleString('en-US')} problem${n === 1 ? '' : 's'} in the file. Fix ${n === 1 ? 'it' : 'them'} and import the file again.`,
    { problems },
  );
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
  if (columns.length === 0)
    problems.push({ field: 'columns', message: `none of the columns chosen to overwrite (${row.columns.join(', ') || 'none'}) is in the file` });
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
