/**
 * What catalog events mean to assignments. The handler reads the assignment first and BigCommerce's
 * product second, so a product it sees with tracking on really had tracking on after the app last
 * confirmed it off:
 * - `store/product/created`: the product enters the catalog mirror, so the merchant can assign it at once,
 *   without a catalog sync.
 * - `store/product/updated`: the catalog mirror row is refreshed; an active assignment whose product has
 *   inventory tracking on again — someone other than the app turned it on, the product not being held in
 *   strict limit mode (where BigCommerce tracks it for the app) — is released, with the reason
 *   shown in the admin, and the variants the app disabled when selling stopped are purchasable again.
 *   The app's own writes (tracking off while assigning, tracking back on while unassigning,
 *   purchasing_disabled when selling stops) come back as events too and change nothing: the product is
 *   then `assigning`, `unassigning`, or still untracked.
 * - `store/product/deleted`: the mirror row goes, the assignment is released (history kept), its holds closed.
 * - `store/sku/created` / `store/sku/deleted` on a product tracked by variant: its items follow the variants
 *   (a deleted variant's holds are closed). On a product tracked as a whole whose selling is stopped, a new
 *   variant is stopped too.
 */
import type { CatalogProduct, StoreConnection } from '../bigcommerce/index.ts';
import { productRows } from '../catalog/catalog-sync.service.ts';
import { replaceVariants, upsertProducts } from '../catalog/catalog.repo.ts';
import type { Db } from '../db/database.ts';
import { getSettings } from '../settings/settings.service.ts';
import { closeHolds, enableOnly, handBackLiftingHolds } from './app-holds.ts';
import { releaseAssignment } from './assignments.repo.ts';
import { reconcileVariantItems } from './variant-items.service.ts';
import { holdNewVariants } from '../selling/selling.service.ts';

export const TRACKING_TURNED_ON =
  'Someone other than BackOrder (a person in the control panel, or another app) turned its inventory tracking back on in BigCommerce, so BackOrder unassigned it: BigCommerce counts its stock again and it is no longer sold beyond stock. Assign it again to resume.';
export const DELETED_IN_BIGCOMMERCE = 'The product was deleted in BigCommerce.';

export interface CatalogEventOutcome {
  released: boolean;
  /** Items whose stock or existence changed (selling and the storefront follow). */
  changedItems: number[];
  /** The assigned product's availability or a variant's purchasing_disabled changed (the storefront follows). */
  purchasingChanged: boolean;
}

async function activeAssignment(db: Db, storeHash: string, productId: number) {
  return db
    .selectFrom('assignments')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('product_id', '=', productId)
    .where('released_at', 'is', null)
    .executeTakeFirst();
}

async function itemsOf(db: Db, storeHash: string, assignmentId: number) {
  return db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('assignment_id', '=', assignmentId)
    .where('retired_at', 'is', null)
    .execute();
}

/**
 * Refreshes the mirror row of one product, keeping the sync run that last saw it (a running sync must not drop
 * it). Returns whether what makes it buyable changed (its availability, a variant's purchasing_disabled): the
 * storefront leaves out what the merchant disabled.
 */
async function refreshMirror(db: Db, storeHash: string, product: CatalogProduct): Promise<boolean> {
  const [row, before] = await Promise.all([
    db
      .selectFrom('catalog_products')
      .select(['sync_job_id', 'availability'])
      .where('store_hash', '=', storeHash)
      .where('product_id', '=', product.id)
      .executeTakeFirst(),
    db
      .selectFrom('catalog_variants')
      .select(['variant_id', 'purchasing_disabled'])
      .where('store_hash', '=', storeHash)
      .where('product_id', '=', product.id)
      .execute(),
  ]);
  const rows = productRows(storeHash, row?.sync_job_id ?? 0, product);
  await db.transaction().execute(async (trx) => {
    await upsertProducts(trx, [rows.product]);
    await replaceVariants(trx, storeHash, [product.id], rows.variants);
  });
  const disabledBefore = new Map(before.map((v) => [v.variant_id, v.purchasing_disabled]));
  return row?.availability !== product.availability || rows.variants.some((v) => disabledBefore.get(v.variant_id) !== v.purchasing_disabled);
}

/**
 * Converges the app on one product after a catalog event. `read` fetches the product from BigCommerce
 * (undefined when it was deleted); it is called after the assignment was read. `handBack` makes the
 * variants the app disabled purchasable again when the product is released.
 */
export async function onProductEvent(
  db: Db,
  storeHash: string,
  productId: number,
  read: () => Promise<CatalogProduct | undefined>,
  handBack: StoreConnection['handBack'],
): Promise<CatalogEventOutcome> {
  const assignment = await activeAssignment(db, storeHash, productId);
  const product = await read();
  const outcome: CatalogEventOutcome = { released: false, changedItems: [], purchasingChanged: false };
  if (!product) {
    await db.deleteFrom('catalog_products').where('store_hash', '=', storeHash).where('product_id', '=', productId).execute();
    if (assignment) {
      outcome.changedItems = (await itemsOf(db, storeHash, assignment.id)).map((i) => i.id);
      await closeHolds(db, storeHash, outcome.changedItems);
      outcome.released = await releaseAssignment(db, storeHash, assignment.id, DELETED_IN_BIGCOMMERCE);
    }
    return outcome;
  }
  const purchasingChanged = await refreshMirror(db, storeHash, product);
  if (!assignment) return outcome;
  outcome.purchasingChanged = purchasingChanged;
  const items = await itemsOf(db, storeHash, assignment.id);
  // A strict product is tracked by BigCommerce for the app: tracking on is how it is held — also while the
  // store is being switched to strict and this product's switch has not committed yet.
  const strict = items.some((i) => i.strict_since !== null) || (await getSettings(db, storeHash)).inventory.limitMode === 'strict';
  if (assignment.state === 'active' && product.inventory_tracking !== 'none' && !strict) {
    // Before the release, so a failure leaves the product assigned and the event's retry lifts them.
    await handBackLiftingHolds(db, { handBack }, storeHash, [{ assignment, items }], enableOnly);
    outcome.released = await releaseAssignment(db, storeHash, assignment.id, TRACKING_TURNED_ON);
    outcome.changedItems = items.map((i) => i.id);
    return outcome;
  }
  if (assignment.state !== 'unassigning') {
    const { inventory } = await getSettings(db, storeHash);
    const { added, retired } = await reconcileVariantItems(db, assignment, items, product, inventory.defaultBackorderThreshold);
    await closeHolds(db, storeHash, retired);
    const held = await holdNewVariants(db, storeHash, items, product.variants ?? []);
    outcome.changedItems = [...added, ...retired, ...held];
  }
  return outcome;
}
