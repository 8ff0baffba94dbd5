/**
 * Importing one file, in bounded batches from the stored file to the database: the file is read slice by
 * slice, its rows parsed, checked and matched to their products a batch at a time and kept in
 * `import_rows`; rows naming the same item twice, and items not assigned, are found there in SQL. Only a
 * file without problems is applied, all or nothing: "import to assign" in one transaction under the plan's
 * lock (BigCommerce follows in the assign job), "import to update" in one stock change made batch by batch
 * from `import_rows`. A file with problems changes nothing; every problem is kept for the import's page
 * (line, column, reason). No step holds the whole file or all its rows (an assign's requests excepted:
 * the plan's limit bounds them).
 */
import { afterAssigning, createAssignments, planAssignments } from '../assignments/assignments.service.ts';
import type { Import } from '../db/schema.ts';
import { AppError, type FieldProblem } from '../errors.ts';
import { importEdits } from '../inventory/item-edits.service.ts';
import type { Progress, StoreJobDeps } from '../jobs/jobs.service.ts';
import { todayInStore } from '../stores/stores.repo.ts';
import { BATCH_ROWS, readCsvBatches } from './csv-read.ts';
import { lineBreaks, UnreadableFile } from './csv-text.ts';
import { MAX_ROWS, VALUE_COLUMNS, type ValueColumn } from './csv-format.ts';
import { analyzeRows, clearRows, matchedBatches, stagedRows, stageRows, takeDuplicates, unmatchedRows } from './import-rows.repo.ts';
import { assignRequestsOf, matchRows } from './import-targets.ts';
import { importContent, recordOutcome } from './imports.repo.ts';

function refused(problems: FieldProblem[]): AppError {
  const n = problems.length;
  return new AppError(
    'validation',
    `Nothing was imported: ${n.toLocaleString('en-US')} problem${n === 1 ? '' : 's'} in the file. Fix ${n === 1 ? 'it' : 'them'} and import the file again.`,
    { problems },
  );
}

/** Options of a run; `batchRows`: rows read, matched and applied per batch. */
export interface ImportOptions {
  batchRows?: number;
}

/** Validates and applies one import; returns the rows applied, or throws (nothing applied) with every problem. */
export async function applyImport(deps: StoreJobDeps, row: Import, progress?: Progress, options: ImportOptions = {}): Promise<number> {
  await clearRows(deps.db, row.store_hash, row.id);
  try {
    return await stagedImport(deps, row, progress, options.batchRows ?? BATCH_ROWS);
  } finally {
    await clearRows(deps.db, row.store_hash, row.id);
  }
}

async function stagedImport(deps: StoreJobDeps, row: Import, progress: Progress | undefined, batchRows: number): Promise<number> {
  const { db } = deps;
  const storeHash = row.store_hash;
  const problems: FieldProblem[] = [];
  let fileColumns: ValueColumn[] = [];
  let rows = 0;
  const onRows = (count: number) => progress?.say(`Reading the file: ${count.toLocaleString('en-US')} rows`) ?? Promise.resolve();
  try {
    // A file with more lines than rows allowed may be too long: it is read through once, unmatched, so that
    // it is refused at once rather than after its rows are matched and kept.
    if ((await lineBreaks(importContent(db, storeHash, row.id))) > MAX_ROWS) {
      for await (const batch of readCsvBatches(importContent(db, storeHash, row.id), { batchRows, onRows })) void batch;
    }
    const columns = VALUE_COLUMNS.filter((c) => row.columns.includes(c));
    // To update, a date that has passed may be the item's own (an export imported again): it is checked
    // under the item's lock, where the item is known (`importEdits`). An item to assign has none yet.
    const today = row.mode === 'assign' ? await todayInStore(db, storeHash) : undefined;
    const batches = readCsvBatches(importContent(db, storeHash, row.id), { batchRows, onRows, columns, ...(today ? { today } : {}) });
    for await (const batch of batches) {
      problems.push(...batch.problems);
      fileColumns = batch.columns;
      // Rows with a value refused are matched and checked too (the values read), so that the file's page lists
      // every problem at once; their own problems refuse the file, so they are never applied.
      const read = [...batch.rows, ...batch.checkOnly];
      rows += read.length;
      await stageRows(db, storeHash, row.id, await matchRows(db, storeHash, read, problems), row.mode === 'update');
    }
  } catch (error) {
    if (error instanceof UnreadableFile) throw refused([{ field: error.field, message: error.message }]);
    throw error;
  }
  await progress?.say(`Checking ${rows.toLocaleString('en-US')} rows against the catalog`);
  await analyzeRows(db);
  if (row.mode === 'update') {
    const columns = fileColumns.filter((c) => row.columns.includes(c));
    if (columns.length === 0)
      problems.push({ field: 'columns', message: `none of the columns chosen to overwrite (${row.columns.join(', ') || 'none'}) is in the file` });
  }
  for (const { line, earlier, variantId } of await takeDuplicates(db, storeHash, row.id)) {
    problems.push({ field: `line ${line}`, message: `duplicate row: line ${earlier} names the same ${variantId === null ? 'product' : 'variant'}` });
  }
  return row.mode === 'assign' ? assign(deps, row, rows, problems, progress) : update(deps, row, rows, batchRows, problems, progress);
}

/** "Import to assign": the products of the rows kept, planned under the plan's limit, then assigned. */
async function assign(deps: StoreJobDeps, row: Import, rows: number, problems: FieldProblem[], progress?: Progress): Promise<number> {
  const storeHash = row.store_hash;
  const requests = assignRequestsOf(await stagedRows(deps.db, storeHash, row.id));
  let planned: Awaited<ReturnType<typeof planAssignments>> = [];
  try {
    planned = await planAssignments(deps.db, storeHash, requests);
  } catch (error) {
    if (!(error instanceof AppError && error.details.problems)) throw error;
    problems.push(...error.details.problems);
  }
  if (problems.length > 0) throw refused(sortByLine(problems));
  await progress?.say(`Assigning ${planned.length.toLocaleString('en-US')} products`);
  // The file is marked read with the assignments: a run retried after the commit (its worker lost) finds
  // nothing to read again, rather than every product already assigned and the file refused for it.
  const itemIds = await createAssignments(deps.db, storeHash, planned, (trx) => recordOutcome(trx, storeHash, row.id, { rowsApplied: rows }));
  if (!deps.storeJobs) return rows;
  try {
    await afterAssigning({ db: deps.db, storeJobs: deps.storeJobs, effects: deps.effects }, storeHash, itemIds);
  } catch (error) {
    // Assigned already: the products wait as assigning, and the next admin page starts their run (pending-work.ts).
    deps.logger.warn({ err: error, storeHash, importId: row.id }, 'imported products assigned; their run in BigCommerce is left to the next admin page');
  }
  return rows;
}

/**
 * "Import to update": every row matched to its assigned item (as it was kept), then every row applied or
 * none, batch by batch. The rows matched are checked under their items' locks even in a file refused
 * already, so that its page lists every problem at once.
 */
async function update(deps: StoreJobDeps, row: Import, rows: number, batchRows: number, problems: FieldProblem[], progress?: Progress): Promise<number> {
  const storeHash = row.store_hash;
  for (const { line, assigned } of await unmatchedRows(deps.db, storeHash, row.id)) {
    problems.push({
      field: `line ${line}`,
      message: assigned
        ? 'this product is tracked by variant: name one of its variants (its SKU, or product_id with variant_id)'
        : 'not assigned to BackOrder: use “Import to assign more products” for it',
    });
  }
  await progress?.say(problems.length > 0 ? `Checking ${rows.toLocaleString('en-US')} items` : `Updating ${rows.toLocaleString('en-US')} items`);
  try {
    const { items } = await importEdits(
      deps,
      storeHash,
      async function* (trx) {
        for await (const batch of matchedBatches(trx, storeHash, row.id, batchRows)) {
          yield batch.map(({ line, itemId, values }) => ({
            itemId,
            label: `line ${line}`,
            stockField: `line ${line}, column current_stock`,
            dateField: `line ${line}, column back_in_stock_date`,
            values,
          }));
        }
      },
      { runKey: `import-${row.id}`, today: await todayInStore(deps.db, storeHash), earlier: problems },
    );
    return items;
  } catch (error) {
    if (error instanceof AppError && error.details.problems) throw refused(sortByLine(error.details.problems));
    throw error;
  }
}

function lineOf(problem: FieldProblem): number {
  return Number(/line (\d+)/.exec(problem.field)?.[1] ?? 0);
}

function sortByLine(problems: FieldProblem[]): FieldProblem[] {
  return [...problems].sort((a, b) => lineOf(a) - lineOf(b));
}
