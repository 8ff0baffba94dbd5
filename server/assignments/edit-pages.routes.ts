/**
 * Edit one (a server-rendered dialog) and Bulk Edit, for the products chosen with Assigned Products'
 * checkboxes. A save changes only what the merchant changed and returns to the list with its search and
 * page kept; a refused save shows the same form again with the values typed.
 */
import { Router, type Request, type Response } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError, type FieldProblem } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import type { EditOutcome } from '../inventory/item-edits.service.ts';
import { editFromForm, editRows } from './assignment-forms.service.ts';
import { plural } from '../plural.ts';
import { BULK_MAX, productIdOf, saveOrShow } from './assignment-pages.ts';
import { newFormKey } from '../http/form-keys.ts';
import { idsFrom, problemLinks, type FormRow } from './item-form.ts';

/** The flash after an edit: saved, and where orders moved stock while the page was open, what it is now. */
function savedText(saved: string, outcome: EditOutcome): string {
  const moved = outcome.stockMovedMeanwhile.map(
    (m) => `Orders changed the stock of ${m.label} while the page was open: your change was applied to theirs, so it is ${m.now}, not ${m.typed}.`,
  );
  return [saved, ...moved].join(' ');
}

/** The search and page of Assigned Products the merchant came from (the edit link's, then the form's), to return to. */
function listStateOf(req: Request): { q: string; page: string } {
  const source = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown>;
  const q = typeof source.q === 'string' ? source.q.slice(0, 100) : '';
  const page = typeof source.page === 'string' && /^[1-9]\d{0,5}$/.test(source.page) ? source.page : '';
  return { q, page };
}

/** Assigned Products with that search and page. */
function listPath({ q, page }: { q: string; page: string }): string {
  const query = new URLSearchParams({ ...(q.trim() ? { q } : {}), ...(page && page !== '1' ? { page } : {}) }).toString();
  return `/admin/products/assigned${query ? `?${query}` : ''}`;
}

/** The edit dialog and Bulk Edit. */
export function editPagesRoutes(deps: AdminDeps): Router {
  const router = Router();

  const editPage = async (res: Response, productIds: number[], bulk: boolean, rows?: FormRow[], problems: FieldProblem[] = [], error?: string) => {
    const { storeHash } = adminOf(res);
    const shown = rows ?? (await editRows(deps.db, storeHash, productIds, !bulk));
    if (shown.length === 0)
      throw new AppError('not_found', bulk ? 'None of these products is assigned to BackOrder.' : 'This product is not assigned to BackOrder.');
    const name = shown[0]!.name;
    await renderAdmin(deps, res, 'pages/products/item-form', {
      title: bulk ? 'Bulk Edit' : `Edit ${name}`,
      tab: 'products',
      mode: 'edit',
      bulk,
      heading: bulk ? `Edit ${plural(new Set(shown.map((r) => r.productId)).size, 'assigned product')}` : `Edit ${name}`,
      intro:
        'Changing current stock records a movement in the item’s history; orders that arrive while this page is open are kept (your change is applied to theirs). Salable qty is current stock plus the backorder threshold.',
      action: bulk ? '/admin/products/bulk-edit' : `/admin/products/${productIds[0]}/edit`,
      submit: 'Save',
      // Saving or cancelling returns to the list as the merchant left it.
      back: listStateOf(res.req),
      rows: shown,
      problemLinks: problemLinks(shown),
      ids: productIds.join(','),
      editKey: newFormKey(),
      skipped: [],
      problems,
      error,
    });
  };

  router.get('/admin/products/:productId/edit', async (req, res) => editPage(res, [productIdOf(req)], false));
  router.post('/admin/products/:productId/edit', async (req, res) => {
    const productId = productIdOf(req);
    const rows = await editRows(deps.db, adminOf(res).storeHash, [productId], true);
    if (rows.length === 0) return editPage(res, [productId], false);
    await saveOrShow(
      res,
      rows,
      async () => {
        const outcome = await editFromForm(deps, adminOf(res).storeHash, rows, req.body as Record<string, unknown>);
        await redirectAdmin(deps, res, listPath(listStateOf(req)), { kind: 'success', text: savedText(`${rows[0]!.name} saved.`, outcome) });
      },
      (problems, message) => editPage(res, [productId], false, rows, problems, message),
    );
  });

  router.get('/admin/products/bulk-edit', async (req, res) => {
    const ids = idsFrom(req.query.ids, BULK_MAX);
    if (ids.length === 0) return redirectAdmin(deps, res, '/admin/products/assigned', { kind: 'warning', text: 'Tick the products to edit first.' });
    await editPage(res, ids, true);
  });
  router.post('/admin/products/bulk-edit', async (req, res) => {
    const ids = idsFrom((req.body as Record<string, unknown>).ids, BULK_MAX);
    const rows = await editRows(deps.db, adminOf(res).storeHash, ids, false);
    if (rows.length === 0)
      return redirectAdmin(deps, res, '/admin/products/assigned', { kind: 'warning', text: 'None of these products is assigned any more.' });
    await saveOrShow(
      res,
      rows,
      async () => {
        const outcome = await editFromForm(deps, adminOf(res).storeHash, rows, req.body as Record<string, unknown>);
        await redirectAdmin(deps, res, listPath(listStateOf(req)), { kind: 'success', text: savedText(`${plural(outcome.items, 'item')} saved.`, outcome) });
      },
      (problems, message) => editPage(res, ids, true, rows, problems, message),
    );
  });

  return router;
}
