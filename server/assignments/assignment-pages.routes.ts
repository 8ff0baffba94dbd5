/**
 * Assign one, edit one, unassign one (server-rendered dialogs: a page with the form, usable without
 * script), and the bulk pages for the products chosen with the lists' checkboxes. A refused save shows the
 * same form again with the values typed and each problem on its row; nothing was applied.
 */
import { Router, type Request, type Response } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError, type FieldProblem } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { idFrom } from '../http/route-ids.ts';
import { defaultThresholdChosen, SUGGESTED_DEFAULT_THRESHOLD } from '../settings/default-threshold.ts';
import { getSettings } from '../settings/settings.service.ts';
import type { EditOutcome } from '../inventory/item-edits.service.ts';
import { assignFromForm, assignRows, editFromForm, editRows } from './assignment-forms.service.ts';
import { unassignProducts } from './assignments.service.ts';
import { attachProblems, idsFrom, newEditKey, zeroThresholdRows, type FormRow } from './item-form.ts';

const BULK_MAX = 50;

function productIdOf(req: Request): number {
  const id = idFrom(req.params.productId);
  if (id === undefined) throw new AppError('not_found', 'There is no such product in this store.');
  return id;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

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

/** Runs a save; on a validation error, shows the form again (422) with the problems on their rows. */
async function saveOrShow(
  res: Response,
  rows: FormRow[],
  save: () => Promise<void>,
  show: (problems: FieldProblem[], message: string) => Promise<void>,
): Promise<void> {
  try {
    await save();
  } catch (error) {
    if (!(error instanceof AppError) || !['validation', 'conflict'].includes(error.kind)) throw error;
    // Each problem shows once: on its row, or in the heading's list when it names no row.
    const unplaced = attachProblems(rows, error.details.problems ?? []);
    res.status(422);
    await show(unplaced, error.message);
  }
}

export function assignmentPagesRoutes(deps: AdminDeps): Router {
  const router = Router();

  const assignPage = async (res: Response, productIds: number[], bulk: boolean, rows?: FormRow[], problems: FieldProblem[] = [], error?: string) => {
    const { storeHash } = adminOf(res);
    const found = rows ? { rows, unknown: [], assigned: [] } : await assignRows(deps.db, storeHash, productIds);
    if (!bulk && found.rows.length === 0) {
      throw new AppError(
        found.assigned.length > 0 ? 'conflict' : 'not_found',
        found.assigned.length > 0
          ? `${found.assigned[0]} is already assigned to BackOrder.`
          : 'There is no such product in this store. Sync the catalog if it is new.',
      );
    }
    const name = found.rows[0]?.name ?? '';
    const [settings, chosen] = await Promise.all([getSettings(deps.db, storeHash), defaultThresholdChosen(deps.db, storeHash)]);
    const threshold = settings.inventory.defaultBackorderThreshold;
    await renderAdmin(deps, res, 'pages/products/item-form', {
      title: bulk ? 'Bulk Assign' : `Assign ${name}`,
      tab: 'products',
      mode: 'assign',
      bulk,
      heading: bulk ? `Assign ${plural(new Set(found.rows.map((r) => r.productId)).size, 'product')} to BackOrder` : `Assign ${name} to BackOrder`,
      intro:
        'Current stock starts from BigCommerce’s level; change it if you know better. BackOrder turns BigCommerce’s inventory tracking off for these products and keeps their stock itself.',
      action: bulk ? '/admin/products/bulk-assign' : `/admin/products/${productIds[0]}/assign`,
      submit: bulk ? 'Assign all' : 'Assign',
      // Asked for until chosen (its built-in 0 lets nothing be backordered), then shown.
      defaults: {
        chosen,
        text: threshold === null ? 'Unlimited' : threshold.toLocaleString('en-US'),
        suggested: SUGGESTED_DEFAULT_THRESHOLD,
        returnTo: bulk ? `/admin/products/bulk-assign?ids=${productIds.join(',')}` : `/admin/products/${productIds[0]}/assign`,
      },
      zeroThreshold: zeroThresholdRows(found.rows, threshold).length > 0,
      rows: found.rows,
      problemRows: found.rows.some((r) => r.problems.length > 0),
      ids: productIds.join(','),
      skipped: [...found.assigned.map((n) => `${n} is already assigned`), ...found.unknown.map((id) => `product ${id} is not in the catalog`)],
      problems,
      error,
    });
  };

  /** Back to Assigned Products after assigning `rows`, saying so — and warning of any item assigned with a threshold of 0. */
  const assigned = async (res: Response, rows: FormRow[], text: string) => {
    const { storeHash, session } = adminOf(res);
    const zero = zeroThresholdRows(rows, (await getSettings(deps.db, storeHash)).inventory.defaultBackorderThreshold);
    await deps.flash.add(session.sid, { kind: 'success', text });
    if (zero.length > 0) {
      const names = zero.slice(0, 3).map((r) => r.label);
      if (zero.length > 3) names.push(`${zero.length - 3} more`);
      await deps.flash.add(session.sid, {
        kind: 'warning',
        text: `Assigned with a backorder threshold of 0: ${names.join(', ')}. Nothing of ${zero.length === 1 ? 'it' : 'them'} can be backordered: selling stops when stock runs out. Edit ${zero.length === 1 ? 'it' : 'them'} to give a threshold above 0.`,
      });
    }
    await redirectAdmin(deps, res, '/admin/products/assigned');
  };

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
      problemRows: shown.some((r) => r.problems.length > 0),
      ids: productIds.join(','),
      editKey: newEditKey(),
      skipped: [],
      problems,
      error,
    });
  };

  router.get('/admin/products/:productId/assign', async (req, res) => assignPage(res, [productIdOf(req)], false));
  router.post('/admin/products/:productId/assign', async (req, res) => {
    const productId = productIdOf(req);
    const { rows } = await assignRows(deps.db, adminOf(res).storeHash, [productId]);
    if (rows.length === 0) return assignPage(res, [productId], false);
    await saveOrShow(
      res,
      rows,
      async () => {
        await assignFromForm(deps, adminOf(res).storeHash, rows, req.body as Record<string, unknown>);
        await assigned(res, rows, `${rows[0]!.name} is assigned. BigCommerce's inventory tracking is being turned off for it.`);
      },
      (problems, message) => assignPage(res, [productId], false, rows, problems, message),
    );
  });

  router.get('/admin/products/bulk-assign', async (req, res) => {
    const ids = idsFrom(req.query.ids, BULK_MAX);
    if (ids.length === 0) return redirectAdmin(deps, res, '/admin/products', { kind: 'warning', text: 'Tick the products to assign first.' });
    await assignPage(res, ids, true);
  });
  router.post('/admin/products/bulk-assign', async (req, res) => {
    const ids = idsFrom((req.body as Record<string, unknown>).ids, BULK_MAX);
    const { rows } = await assignRows(deps.db, adminOf(res).storeHash, ids);
    if (rows.length === 0)
      return redirectAdmin(deps, res, '/admin/products', {
        kind: 'warning',
        text: 'None of these products can be assigned: they are assigned already or no longer in the catalog.',
      });
    await saveOrShow(
      res,
      rows,
      async () => {
        const n = await assignFromForm(deps, adminOf(res).storeHash, rows, req.body as Record<string, unknown>);
        await assigned(res, rows, `${plural(n, 'product')} assigned. BigCommerce's inventory tracking is being turned off for them; the progress shows below.`);
      },
      (problems, message) => assignPage(res, ids, true, rows, problems, message),
    );
  });

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

  const unassignPage = async (
    res: Response,
    productIds: number[],
    bulk: boolean,
    form: { restore: boolean; notPurchasable: boolean; confirmNeither?: boolean },
    error?: string,
  ) => {
    const { storeHash } = adminOf(res);
    const rows = (await editRows(deps.db, storeHash, productIds, false)).filter((r) => r.first);
    if (rows.length === 0)
      throw new AppError('not_found', bulk ? 'None of these products is assigned to BackOrder.' : 'This product is not assigned to BackOrder.');
    const settings = await getSettings(deps.db, storeHash);
    await renderAdmin(deps, res, 'pages/products/unassign', {
      title: bulk ? 'Bulk Unassign' : `Unassign ${rows[0]!.name}`,
      tab: 'products',
      bulk,
      heading: bulk ? `Unassign ${plural(rows.length, 'product')} from BackOrder` : `Unassign ${rows[0]!.name} from BackOrder`,
      action: bulk ? '/admin/products/bulk-unassign' : `/admin/products/${productIds[0]}/unassign`,
      // A product tracked by variant is named, not shown by its first variant's SKU.
      products: rows.map((r) => ({ name: r.name, sku: r.variantId === null ? r.sku : '' })),
      ids: productIds.join(','),
      form,
      levelsExternal: settings.inventory.stockLevelMaintainedExternally,
      error,
    });
  };
  const unassign = async (req: Request, res: Response, productIds: number[], bulk: boolean) => {
    const body = req.body as Record<string, unknown>;
    const form = {
      restore: body.restoreTracking !== undefined,
      notPurchasable: body.notPurchasable !== undefined,
      confirmNeither: body.confirmNeither !== undefined,
    };
    if (!form.restore && !form.notPurchasable && !form.confirmNeither) {
      res.status(422);
      return unassignPage(
        res,
        productIds,
        bulk,
        form,
        'Neither option is chosen: BigCommerce will not track these products’ inventory and shoppers can keep buying them without limit. Choose an option, or confirm that this is what you want.',
      );
    }
    try {
      const n = await unassignProducts(deps, adminOf(res).storeHash, productIds, { restoreTracking: form.restore, notPurchasable: form.notPurchasable });
      await redirectAdmin(deps, res, '/admin/products/assigned', {
        kind: 'success',
        text: `${plural(n, 'product')} unassigned: BigCommerce is being handed ${n === 1 ? 'it' : 'them'} back; the progress shows below.`,
      });
    } catch (error) {
      if (!(error instanceof AppError && error.kind === 'validation')) throw error;
      res.status(422);
      await unassignPage(res, productIds, bulk, form, `${error.message} ${(error.details.problems ?? []).map((p) => `${p.field} ${p.message}.`).join(' ')}`);
    }
  };

  router.get('/admin/products/:productId/unassign', async (req, res) => unassignPage(res, [productIdOf(req)], false, { restore: true, notPurchasable: false }));
  router.post('/admin/products/:productId/unassign', async (req, res) => unassign(req, res, [productIdOf(req)], false));
  router.get('/admin/products/bulk-unassign', async (req, res) => {
    const ids = idsFrom(req.query.ids, BULK_MAX);
    if (ids.length === 0) return redirectAdmin(deps, res, '/admin/products/assigned', { kind: 'warning', text: 'Tick the products to unassign first.' });
    await unassignPage(res, ids, true, { restore: true, notPurchasable: false });
  });
  router.post('/admin/products/bulk-unassign', async (req, res) => unassign(req, res, idsFrom((req.body as Record<string, unknown>).ids, BULK_MAX), true));

  return router;
}
