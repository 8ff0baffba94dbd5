/**
 * Unassign one (a server-rendered dialog) and Bulk Unassign: the merchant chooses what BigCommerce gets
 * back — its tracking with the current level, or the product not purchasable — and is warned when neither.
 * The form carries only the products the page shows (the others are named, with why they are left out) and
 * its key, so that sending it twice answers as the first time (unassign.service.ts).
 */
import { Router, type Request, type Response } from 'express';
import { redirectAdmin, renderAdmin, type AdminDeps } from '../admin/render.ts';
import { AppError } from '../errors.ts';
import { adminOf } from '../http/admin-auth.ts';
import { formKeyOf, newFormKey } from '../http/form-keys.ts';
import { getSettings } from '../settings/settings.service.ts';
import { plural } from '../plural.ts';
import { BULK_MAX, productIdOf } from './assignment-pages.ts';
import { idsFrom } from './item-form.ts';
import { unassignProducts, unassignRows, type UnassignOutcome } from './unassign.service.ts';

interface UnassignForm {
  restore: boolean;
  notPurchasable: boolean;
  confirmNeither?: boolean;
}

/** "A", "A and B", "A, B, and 3 more". */
function namesList(names: readonly string[]): string {
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  return new Intl.ListFormat('en-US', { type: 'conjunction' }).format(shown);
}

/** The flash after an unassign: what it unassigned (the first time the form was sent), and what was unassigned already. */
function outcomeText({ unassigned, alreadyUnassigned }: UnassignOutcome): string {
  const already = alreadyUnassigned.length > 0 ? `${namesList(alreadyUnassigned)} ${alreadyUnassigned.length === 1 ? 'was' : 'were'} unassigned already.` : '';
  if (unassigned === 0) return `Nothing to unassign: ${already}`;
  const done = `${plural(unassigned, 'product')} unassigned: BigCommerce is being handed ${unassigned === 1 ? 'it' : 'them'} back; the progress shows below.`;
  return already ? `${done} ${already}` : done;
}

/** The unassign dialog and Bulk Unassign. */
export function unassignPagesRoutes(deps: AdminDeps): Router {
  const router = Router();

  /** The page for the products of `productIds` that can be unassigned; when none can, `none` is told why each is left out. */
  const unassignPage = async (
    res: Response,
    productIds: number[],
    bulk: boolean,
    form: UnassignForm,
    none: (leftOut: string[]) => Promise<void>,
    error?: string,
  ): Promise<void> => {
    const { storeHash } = adminOf(res);
    const { rows, untracked, leftOut } = await unassignRows(deps.db, storeHash, productIds);
    if (rows.length === 0) return none(leftOut);
    const shownIds = rows.map((r) => r.productId);
    const settings = await getSettings(deps.db, storeHash);
    // "Track inventory" gives back the tracking each product had: the page says what that is for each kind.
    const untrackedCount = rows.filter((r) => untracked.has(r.productId)).length;
    const mixed = untrackedCount > 0 && untrackedCount < rows.length;
    await renderAdmin(deps, res, 'pages/products/unassign', {
      title: bulk ? 'Bulk Unassign' : `Unassign ${rows[0]!.name}`,
      tab: 'products',
      bulk,
      heading: bulk ? `Unassign ${plural(rows.length, 'product')} from BackOrder` : `Unassign ${rows[0]!.name} from BackOrder`,
      action: bulk ? '/admin/products/bulk-unassign' : `/admin/products/${shownIds[0]}/unassign`,
      // A product tracked by variant is named, not shown by its first variant's SKU.
      products: rows.map((r) => ({ name: r.name, sku: r.variantId === null ? r.sku : '', untracked: mixed && untracked.has(r.productId) })),
      tracking: { tracked: rows.length - untrackedCount, untracked: untrackedCount },
      // Only the products shown: one left out would refuse every post of the form.
      ids: shownIds.join(','),
      unassignKey: newFormKey(),
      skipped: leftOut,
      form,
      levelsExternal: settings.inventory.stockLevelMaintainedExternally,
      error,
    });
  };
  /** A page asked for products none of which can be unassigned. */
  const notFound = async (leftOut: string[]) => {
    const reasons = leftOut.join('; ');
    throw new AppError('not_found', `${reasons.charAt(0).toUpperCase()}${reasons.slice(1)}.`);
  };
  /** Back to Assigned Products when a posted form finds none of its products left to unassign. */
  const noneLeft = (res: Response) => async (leftOut: string[]) =>
    redirectAdmin(deps, res, '/admin/products/assigned', { kind: 'warning', text: `Nothing was unassigned: ${leftOut.join('; ')}.` });

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
        noneLeft(res),
        'Neither option is chosen: BigCommerce will not track these products’ inventory and shoppers can keep buying them without limit. Choose an option, or confirm that this is what you want.',
      );
    }
    try {
      const outcome = await unassignProducts(
        deps,
        adminOf(res).storeHash,
        productIds,
        { restoreTracking: form.restore, notPurchasable: form.notPurchasable },
        formKeyOf(body, 'unassignKey'),
      );
      await redirectAdmin(deps, res, '/admin/products/assigned', { kind: outcome.unassigned > 0 ? 'success' : 'warning', text: outcomeText(outcome) });
    } catch (error) {
      if (!(error instanceof AppError && error.kind === 'validation')) throw error;
      res.status(422);
      const message = `${error.message} ${(error.details.problems ?? []).map((p) => `${p.field} ${p.message}.`).join(' ')}`;
      await unassignPage(res, productIds, bulk, form, noneLeft(res), message);
    }
  };

  router.get('/admin/products/:productId/unassign', async (req, res) =>
    unassignPage(res, [productIdOf(req)], false, { restore: true, notPurchasable: false }, notFound),
  );
  router.post('/admin/products/:productId/unassign', async (req, res) => unassign(req, res, [productIdOf(req)], false));
  router.get('/admin/products/bulk-unassign', async (req, res) => {
    const ids = idsFrom(req.query.ids, BULK_MAX);
    if (ids.length === 0) return redirectAdmin(deps, res, '/admin/products/assigned', { kind: 'warning', text: 'Tick the products to unassign first.' });
    await unassignPage(res, ids, true, { restore: true, notPurchasable: false }, notFound);
  });
  router.post('/admin/products/bulk-unassign', async (req, res) => unassign(req, res, idsFrom((req.body as Record<string, unknown>).ids, BULK_MAX), true));

  return router;
}
