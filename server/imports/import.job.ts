/** The import job; each file is validated and applied, all or nothing, by imports.service.ts. */
import { AppError, type FieldProblem } from '../errors.ts';
import { describe, isRetryable, type Attempt, type Progress, type StoreJobData, type StoreJobDeps } from '../jobs/jobs.service.ts';
import { claimNextImport, finishImport } from './imports.repo.ts';
import { applyImport } from './imports.service.ts';

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
