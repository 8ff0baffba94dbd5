/** The Import page (its template and format), the upload, and each import's outcome. */
import { createReadStream } from 'node:fs';
import { Router } from 'express';
import { resumePendingWork } from '../admin/pending-work.ts';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { formKeyOf, newFormKey } from '../http/form-keys.ts';
import { idFrom } from '../http/route-ids.ts';
import { findJob, findOpenJob } from '../jobs/jobs.repo.ts';
import { queueOrLeavePending } from '../jobs/jobs.service.ts';
import { FORMAT_HELP, MAX_FILE_BYTES, MAX_ROWS, TEMPLATE_CSV, VALUE_COLUMNS, type ValueColumn } from './csv-format.ts';
import { importStatus } from './import-status.ts';
import { findImport, insertImportOnce, MAX_KEPT, PART_BYTES } from './imports.repo.ts';
import { uploadOf } from './upload.ts';

const MODES = {
  assign: {
    title: 'Import to assign more products',
    intro: 'Each row names a product (or variant) not yet assigned. Empty cells take BigCommerce’s level and your default threshold.',
  },
  update: {
    title: 'Import to update assigned products',
    intro: 'Each row names an assigned product (or variant). Only the columns ticked below overwrite; the others keep their values.',
  },
} as const;

function modeOf(value: unknown): 'assign' | 'update' {
  return value === 'update' ? 'update' : 'assign';
}

function columnsOf(value: unknown): ValueColumn[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return VALUE_COLUMNS.filter((c) => list.includes(c));
}

function isCsvName(filename: string): boolean {
  return /\.(csv|txt)$/i.test(filename);
}

export function importsRoutes(deps: AdminDeps): Router {
  const router = Router();

  const importPage = async (res: Parameters<typeof renderAdmin>[1], mode: 'assign' | 'update', error?: string, status = 200) => {
    await renderAdmin(
      deps,
      res,
      'pages/imports/new',
      {
        title: MODES[mode].title,
        tab: 'products',
        // This attempt only: an earlier import's outcome is on its own page, not above this form's error.
        hideJobs: ['import'],
        mode,
        heading: MODES[mode].title,
        intro: MODES[mode].intro,
        update: mode === 'update',
        columns: VALUE_COLUMNS.map((column) => ({ column, checked: true })),
        format: FORMAT_HELP,
        maxMb: MAX_FILE_BYTES / 1024 / 1024,
        maxRows: MAX_ROWS,
        uploadKey: newFormKey(),
        error,
      },
      status,
    );
  };

  router.get('/admin/imports/new', async (req, res) => importPage(res, modeOf(req.query.mode)));

  router.get('/admin/imports/template.csv', (_req, res) => {
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="backorder-import-template.csv"' }).send(TEMPLATE_CSV);
  });

  router.post('/admin/imports', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mode = modeOf(body.mode);
    const upload = uploadOf(req);
    const refuse = (message: string, status = 422) => importPage(res, mode, message, status);
    if (!upload || upload.bytes === 0)
      return refuse(upload ? 'The file is empty: it needs a header row and at least one row.' : 'Choose a CSV file to import.');
    if (upload.truncated) return refuse(`The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it into smaller files.`, 413);
    if (!isCsvName(upload.filename))
      return refuse(`“${upload.filename.slice(0, 80)}” is not a CSV file. In your spreadsheet, choose “Save as” → “CSV UTF-8” and import that file.`, 415);
    const columns = mode === 'update' ? columnsOf(body.columns) : [...VALUE_COLUMNS];
    if (columns.length === 0) return refuse('Tick at least one column to overwrite.');
    const { storeHash } = adminOf(res);
    const uploadKey = formKeyOf(body, 'uploadKey');
    const { id: importId, repeated } = await insertImportOnce(deps.db, {
      storeHash,
      mode,
      columns,
      filename: upload.filename.slice(0, 200),
      content: createReadStream(upload.path, { highWaterMark: PART_BYTES }),
      ...(uploadKey ? { uploadKey } : {}),
    });
    // The same form sent again (a double click, the back button): its first post's import, read once, shows what became of it.
    if (repeated) return redirectAdmin(deps, res, `/admin/imports/${importId}`);
    // The file is stored: with Redis away its page starts the run once the queue answers (importOf). Told to
    // try again, the merchant would upload it twice, and both copies would be read.
    if (!(await queueOrLeavePending(deps.db, deps.storeJobs, storeHash, 'import', `Waiting to read ${upload.filename.slice(0, 80)}`))) {
      deps.logger.warn({ storeHash, importId }, 'import run could not be queued; the import’s page starts it');
    }
    // The import's page says what becomes of the file, live: no banner that would soon say otherwise.
    await redirectAdmin(deps, res, `/admin/imports/${importId}`);
  });

  /** The import and the run reading it (its own, or the open one it waits for). */
  const importOf = async (storeHash: string, param: string) => {
    const importId = idFrom(param, 'bigint');
    const row = importId === undefined ? undefined : await findImport(deps.db, storeHash, importId);
    if (!row) throw new AppError('not_found', `There is no import ${param.slice(0, 20)} in this store.`);
    // A file uploaded just as a run ended has no run to read it: its page starts one.
    if (row.unread && row.job_id === null) await resumePendingWork(deps, storeHash);
    const job = row.job_id ? await findJob(deps.db, storeHash, row.job_id) : await findOpenJob(deps.db, storeHash, 'import');
    return { row, status: importStatus(row, job) };
  };

  router.get('/admin/imports/:importId/status', async (req, res) => {
    const { status } = await importOf(adminOf(res).storeHash, req.params.importId);
    // The renewed session lets a page that stays open keep polling.
    res.json({ ...status, session: res.locals.session });
  });

  router.get('/admin/imports/:importId', async (req, res) => {
    const { row, status } = await importOf(adminOf(res).storeHash, req.params.importId);
    const problems = (row.problems as Array<{ field: string; message: string }> | null) ?? [];
    await renderAdmin(deps, res, 'pages/imports/show', {
      title: `Import of ${row.filename || 'a CSV file'}`,
      tab: 'products',
      // The import's own status is the page's one progress bar: the store's import run is not shown twice.
      hideJobs: ['import'],
      file: row.filename,
      mode: MODES[row.mode].title,
      status,
      problems: status.state === 'refused' ? problems : [],
      moreProblems: problems.length > MAX_KEPT,
      retryUrl: `/admin/imports/new`,
      retryMode: row.mode,
    });
  });

  return router;
}
