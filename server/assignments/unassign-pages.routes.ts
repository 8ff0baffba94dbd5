/**
 * Unassign one (a server-rendered dialog) and Bulk Unassign: the merchant chooses what BigCommerce gets
 * back — its tracking with the current level, or the product not purchasable — and is warned when neither.
 */
import { Router, type Request, type Response } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { getSettings } from '../settings/settings.service.ts';
import { editRows } from './assignment-forms.service.ts';
import { untrackedBefore } from './assignment-states.repo.ts';
import { plural } from '../plural.ts';
import { BULK_MAX, productIdOf } from './assignment-pages.ts';
import { unassignProducts } from './assignments.service.ts';
import { idsFrom } from './item-form.ts';

/** The unassign dialog and Bulk Unassign. */
export function unassignPagesRoutes(deps: AdminDeps): Router {
  const router = Router();

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
    // "Track inventory" gives back the tracking each product had: the page says what that is for each kind.
    const untracked = await untrackedBefore(deps.db, storeHash, productIds);
    const untrackedCount = rows.filter((r) => untracked.has(r.productId)).length;
    const mixed = untrackedCount > 0 && untrackedCount < rows.length;
    await renderAdmin(deps, res, 'pages/products/unassign', {
      title: bulk ? 'Bulk Unassign' : `Unassign ${rows[0]!.name}`,
      tab: 'products',
      bulk,
      heading: bulk ? `Unassign ${plural(rows.length, 'product')} from BackOrder` : `Unassign ${rows[0]!.name} from BackOrder`,
      action: bulk ? '/admin/products/bulk-unassign' : `/admin/products/${productIds[0]}/unassign`,
      // A product tracked by variant is named, not shown by its first variant's SKU.
      products: rows.map((r) => ({ name: r.name, sku: r.variantId === null ? r.sku : '', untracked: mixed && untracked.has(r.productId) })),
      tracking: { tracked: rows.length - untrackedCount, untracked: untrackedCount },
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
