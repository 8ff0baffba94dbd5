/**
 * One import's status, the single one its page shows: waiting, being read (in the run's own words),
 * imported, refused or stopped. The page renders it as a progress bar and the bar's script polls the same
 * view as JSON, so the bar, its words and the outcome below it never disagree.
 */
import type { Job } from '../db/schema.ts';
import type { ImportRecord } from './imports.repo.ts';
import type { JobView } from '../jobs/job-view.ts';

export type ImportState = 'waiting' | 'reading' | 'imported' | 'refused' | 'stopped';

/** What the progress bar needs (the job-progress partial and its script), for this import alone. */
export type ImportStatus = Pick<JobView, 'status' | 'done' | 'total' | 'finished' | 'statusText' | 'countText' | 'barText' | 'path' | 'title'> & {
  id: string;
  state: ImportState;
};

const count = (n: number) => n.toLocaleString('en-US');

function stateOf(row: ImportRecord, job: Job | undefined): ImportState {
  if (!row.unread) return row.rows_applied === null ? 'refused' : 'imported';
  if (job?.status === 'failed') return 'stopped';
  return row.job_id !== null && job?.status === 'running' ? 'reading' : 'waiting';
}

function textOf(state: ImportState, row: ImportRecord, job: Job | undefined): string {
  // Only the first problems are kept: their number is not the file's (an import refused before it was counted has only these).
  const problems = row.problem_count ?? (Array.isArray(row.problems) ? row.problems.length : 0);
  switch (state) {
    case 'imported':
      return `${count(row.rows_applied ?? 0)} row${row.rows_applied === 1 ? '' : 's'} ${row.mode === 'assign' ? 'assigned' : 'updated'}.`;
    case 'refused':
      return `Nothing was imported: ${count(problems)} problem${problems === 1 ? '' : 's'} in the file.`;
    case 'stopped':
      return `The import stopped before reading this file: ${job?.error ?? 'the run failed'}`;
    case 'reading':
      return job?.message || 'Reading the file';
    case 'waiting':
      // A running run that has not claimed this file is still reading the one uploaded before it.
      return row.job_id === null && job?.status === 'running' ? 'Waiting for the file uploaded before it to be read' : 'Waiting to start reading the file';
  }
}

/** The status of import `row`, read by run `job` (its claiming run, or the store's open import run). */
export function importStatus(row: ImportRecord, job: Job | undefined): ImportStatus {
  const state = stateOf(row, job);
  const finished = state === 'imported' || state === 'refused' || state === 'stopped';
  return {
    id: `import-${row.id}`,
    title: 'Importing the file',
    state,
    status: state === 'imported' ? 'succeeded' : finished ? 'failed' : state === 'reading' ? 'running' : 'queued',
    done: finished ? 1 : 0,
    total: finished ? 1 : null,
    finished,
    statusText: textOf(state, row, job),
    countText: '',
    barText: finished ? '100%' : '',
    path: `/admin/imports/${row.id}/status`,
  };
}
