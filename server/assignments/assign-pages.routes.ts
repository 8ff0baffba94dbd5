/**
 * Assign one (a server-rendered dialog: a page with the form, usable without script) and Bulk Assign, for
 * the products chosen with All Products' checkboxes. Until the merchant has chosen a default threshold the
 * form asks for it; a refused save shows the same form again with the values typed.
 */
import { Router, type Response } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError, type FieldProblem } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { defaultThresholdChosen, SUGGESTED_DEFAULT_THRESHOLD } from '../settings/default-threshold.ts';
import { getSettings } from '../settings/settings.service.ts';
import { assignFromForm, assignRows } from './assignment-forms.service.ts';
import { plural } from '../plural.ts';
import { BULK_MAX, productIdOf, saveOrShow } from './assignment-pages.ts';
import { idsFrom, problemLinks, zeroThresholdRows, type FormRow } from './item-form.ts';

/** The assign dialog and Bulk Assign. */
export function assignPagesRoutes(deps: AdminDeps): Router {
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
      problemLinks: problemLinks(found.rows),
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

  return router;
}
