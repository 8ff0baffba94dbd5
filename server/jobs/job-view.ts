/** A run as the admin shows it: the progress bar's numbers and words, the same in HTML and JSON. */
import type { Job, JobKind, JobStatus } from '../db/schema.ts';

export const JOB_TITLES: Record<JobKind, string> = {
  install: 'Setting up BackOrder',
  'catalog-sync': 'Syncing the catalog',
  'release-all': 'Releasing all products',
  assign: 'Assigning products in BigCommerce',
  unassign: 'Unassigning products in BigCommerce',
  import: 'Importing a CSV file',
  sync: 'Syncing stock and catalog',
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
  /** Where the progress bar polls. */
  path: string;
}

export function jobView(job: Job): JobView {
  const total = job.progress_total;
  const finished = job.status === 'succeeded' || job.status === 'failed';
  return {
    id: job.id,
    kind: job.kind,
    title: JOB_TITLES[job.kind],
    status: job.status,
    done: job.progress_done,
    total,
    percent: job.status === 'succeeded' ? 100 : total ? Math.min(100, Math.floor((job.progress_done / total) * 100)) : null,
    message: job.message,
    error: job.error,
    finished,
    path: `/admin/jobs/${job.id}`,
  };
}
