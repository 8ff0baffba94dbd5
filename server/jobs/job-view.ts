/**
 * A run as the admin shows it: the progress bar's numbers and words, the same in HTML and JSON. The words
 * are written here only: the page renders them, and the polling script shows what the JSON says.
 */
import type { Job, JobKind, JobStatus } from '../db/schema.ts';

export const JOB_TITLES: Record<JobKind, string> = {
  install: 'Setting up BackOrder',
  'catalog-sync': 'Syncing the catalog',
  'release-all': 'Releasing all products',
  assign: 'Assigning products in BigCommerce',
  unassign: 'Unassigning products in BigCommerce',
  import: 'Importing a CSV file',
  sync: 'Syncing stock and catalog',
  'limit-mode': 'Switching the limit mode in BigCommerce',
};

export interface JobView {
  id: number;
  kind: JobKind;
  title: string;
  status: JobStatus;
  done: number;
  /** null while unknown: the bar shows activity without a percentage. */
  total: number | null;
  percent: number | null;
  message: string;
  error: string | null;
  finished: boolean;
  /** What the status line says: the message, or the failure, or the message and the error it retries after (and when). */
  statusText: string;
  /** "1,200 of 5,000", or empty while the total is unknown. */
  countText: string;
  /** The bar's own text: "40%", or empty while unknown. */
  barText: string;
  /** Where the progress bar polls. */
  path: string;
}

const count = (n: number) => n.toLocaleString('en-US');

function statusText(message: string, error: string | null, finished: boolean): string {
  if (!error) return message;
  return finished ? `Failed: ${error}` : `${message} — ${error}`;
}

/** The run's numbers and words for the progress bar. */
export function jobView(job: Job): JobView {
  const total = job.progress_total;
  const finished = job.status === 'succeeded' || job.status === 'failed';
  const percent = job.status === 'succeeded' ? 100 : total ? Math.min(100, Math.floor((job.progress_done / total) * 100)) : null;
  return {
    id: job.id,
    kind: job.kind,
    title: JOB_TITLES[job.kind],
    status: job.status,
    done: job.progress_done,
    total,
    percent,
    message: job.message,
    error: job.error,
    finished,
    statusText: statusText(job.message, job.error, finished),
    countText: total ? `${count(job.progress_done)} of ${count(total)}` : '',
    barText: percent === null ? '' : `${percent}%`,
    path: `/admin/jobs/${job.id}`,
  };
}
