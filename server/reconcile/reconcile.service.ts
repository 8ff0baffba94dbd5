/**
 * Reconcile: the nightly (and `npm run reconcile`) proof that nothing drifted, and the repair of what did.
 * 1. The ledger: every item's current stock equals its starting stock plus its movements, and its waiting
 *    units plus its unexplained shortfall equal what it owes; a corrupted value is restored from the ledger.
 * 2. The store's profile is read again: its time zone and whether its storefront shows stock levels
 *    (which decides whether shoppers are given exact numbers) have no webhook of their own.
 * 3. Registration: webhooks (reactivating any BigCommerce deactivated; carrying the secret of the current
 *    ENCRYPTION_KEY, which is recorded, so an older secret stops opening the webhook route) and scripts
 *    are re-registered.
 * 4. Keys: an access token written under an older key (before keys were derived per purpose, or before a
 *    rotation) is re-encrypted under the current ENCRYPTION_KEY.
 * 5. Orders: those created or changed since the last reconcile are re-read and converged, healing webhooks
 *    that never arrived — one request each, so a busy store's may take several API windows: a run stopped
 *    by the budget records how far it got, and the next goes on from there.
 * 6. Selling: items whose selling is out of step with their salable quantity, and items stopped with a
 *    "selling stopped" message the store no longer has (its new wording's checks lost with Redis), are checked.
 * 7. Lines an older version left: open lines of unassigned products are released, ETAs on lines no longer
 *    waiting cleared (`closeLeftOverLines`: during an upgrade the old processes run on after the migrations).
 * It reports what it fixed.
 */
import type { StoreConnection } from '../bigcommerce/index.ts';
import { closeLeftOverLines } from '../backorders/backorders.repo.ts';
import { proveLedger, repairItem, type LedgerMismatch } from '../inventory/ledger.service.ts';
import { sellingOutOfStep } from '../inventory/selling-candidates.repo.ts';
import { itemsShowingOtherMessage } from '../selling/purchasing-holds.repo.ts';
import { getSettings, sellingStoppedMessage } from '../settings/settings.service.ts';
import type { StockDeps } from '../inventory/stock.service.ts';
import { findStore, saveProfile } from '../stores/stores.repo.ts';
import { reencryptToken } from '../stores/stores.service.ts';
import { ordersOwingNotes } from '../orders/order-notes.repo.ts';
import { convergeOrder } from '../orders/orders.service.ts';
import { registerInStore, type RegistrationOptions, type RegistrationReport } from '../registration/registration.service.ts';
import { finishRun, ordersProgress, startRun } from './reconcile-runs.repo.ts';

export interface ReconcileReport {
  storeHash: string;
  ledger: { mismatches: LedgerMismatch[]; repaired: number };
  orders: { read: number; changed: number };
  /**
   * Items whose selling is out of step with their salable quantity, and items stopped with an earlier wording
   * of the store's "selling stopped" message: each gets a selling check.
   */
  selling: { outOfStep: number[]; reworded: number[] };
  /** Settings of the store's own that changed since they were last read. */
  profile: Array<{ setting: string; was: string; now: string }>;
  registration: RegistrationReport | undefined;
  /** The store's access token was rewritten under the current key. */
  tokenReencrypted: boolean;
  /** Lines an older version left open or dated (`closeLeftOverLines`). */
  lines: { released: number; etasCleared: number };
  /**
   * Orders re-read whose BackOrder note is owed (units backordered, no note written) while the store writes
   * notes: their note job was lost (Redis back empty) or gave up (BigCommerce away longer than its retries), and
   * only another delivery for the order would ask again. The caller writes them.
   */
  notesOwed: number[];
}

export interface ReconcileOptions {
  /** Re-read orders modified since then (the last reconcile, minus a margin, or where one stopped part-way). */
  ordersSince: Date;
  /** Hears each order re-read and converged, with its last change (oldest change first). */
  orderDone?: (modifiedAt: Date) => void;
  /** `previousEncryptionKey`: ENCRYPTION_KEY_PREVIOUS during a rotation (what it wrote is read, then rewritten). */
  registration?: RegistrationOptions & { previousEncryptionKey?: Buffer | undefined };
}

/** Repairs and orders are stock changes: selling and the storefront follow each (`changeStock`). */
export async function reconcileStore(deps: StockDeps, connection: StoreConnection, options: ReconcileOptions): Promise<ReconcileReport> {
  const { db } = deps;
  const storeHash = connection.storeHash;
  const mismatches = await proveLedger(db, storeHash);
  for (const mismatch of mismatches) await repairItem(deps, storeHash, mismatch.itemId);

  const before = await findStore(db, storeHash);
  const fresh = await connection.storeProfile();
  const timezone = await saveProfile(db, storeHash, fresh);
  const profile = [
    { setting: 'stock level display', was: before?.stock_level_display ?? '', now: fresh.stockLevelDisplay },
    { setting: 'time zone', was: before?.timezone ?? '', now: timezone },
  ].filter((p) => p.was !== p.now);

  // Before the orders, whose re-reading may take more than one API window: a key rotation waits on these.
  let registration: RegistrationReport | undefined;
  let tokenReencrypted = false;
  if (options.registration) {
    const { encryptionKey, previousEncryptionKey } = options.registration;
    registration = await registerInStore(db, connection, options.registration);
    tokenReencrypted = await reencryptToken(db, { current: encryptionKey, previous: previousEncryptionKey }, storeHash);
  }

  const orders = { read: 0, changed: 0 };
  const read: number[] = [];
  for await (const order of connection.ordersChangedSince(options.ordersSince)) {
    const snapshot = await connection.order(order.id);
    if (snapshot) {
      orders.read++;
      read.push(snapshot.id);
      const { moved } = await convergeOrder(deps, storeHash, snapshot);
      if (moved.length > 0) orders.changed++;
    }
    options.orderDone?.(order.modifiedAt);
  }
  const notesOwed = (await getSettings(db, storeHash)).orderNote.enabled ? await ordersOwingNotes(db, storeHash, read) : [];

  const message = await sellingStoppedMessage(db, storeHash);
  const selling = { outOfStep: await sellingOutOfStep(db, storeHash), reworded: await itemsShowingOtherMessage(db, storeHash, message) };
  const lines = await closeLeftOverLines(db, storeHash);
  return { storeHash, ledger: { mismatches, repaired: mismatches.length }, orders, selling, profile, registration, tokenReencrypted, lines, notesOwed };
}

/** The items whose selling a reconcile asks to be checked: those out of step or worded anew (repairs and orders had theirs checked as they changed). */
export function itemsToCheck(report: ReconcileReport): number[] {
  return [...new Set([...report.selling.outOfStep, ...report.selling.reworded])];
}

/** One line per fix, for the command's output and the job's log. */
export function describeReport(report: ReconcileReport): string[] {
  const lines = report.ledger.mismatches.map((m) => {
    const item = `item ${m.itemId} (${m.sku || `product ${m.productId}`})`;
    if (m.currentStock !== m.ledgerStock) return `${item}: stock was ${m.currentStock}, the ledger says ${m.ledgerStock} — restored`;
    return `${item}: ${m.waiting} waiting and ${m.shortfall} short did not add up to the ${Math.max(0, -m.ledgerStock)} units its stock of ${m.ledgerStock} owes — counted again`;
  });
  if (report.orders.changed > 0) lines.push(`${report.orders.changed} of ${report.orders.read} orders re-read had changes the webhooks had missed — applied`);
  const outOfStep = report.selling.outOfStep.length;
  if (outOfStep > 0)
    lines.push(`${outOfStep} item${outOfStep === 1 ? '' : 's'} selling out of step with ${outOfStep === 1 ? 'its' : 'their'} salable quantity — checked again`);
  const reworded = report.selling.reworded.length;
  if (reworded > 0) lines.push(`${reworded} stopped item${reworded === 1 ? '' : 's'} showing an earlier "selling stopped" message — worded anew`);
  for (const p of report.profile) lines.push(`the store's ${p.setting} changed from ${p.was || 'unknown'} to ${p.now} — taken up`);
  const hooks = report.registration?.webhooks;
  if (hooks) {
    for (const h of hooks.created) lines.push(`webhook ${h.scope} was missing — created`);
    for (const h of hooks.reactivated) lines.push(`webhook ${h.scope} was deactivated by BigCommerce — reactivated`);
    for (const h of hooks.updated) lines.push(`webhook ${h.scope} differed (${h.changes?.join(', ')}) — updated`);
    for (const h of hooks.deleted) lines.push(`webhook ${h.scope} is no longer used — deleted`);
  }
  if (report.lines.released > 0) lines.push(`${report.lines.released} backorder line(s) of unassigned products were still open — released`);
  const notes = report.notesOwed.length;
  if (notes > 0) lines.push(`${notes} backordered order${notes === 1 ? '' : 's'} still without ${notes === 1 ? 'its' : 'their'} BackOrder note — written`);
  if (report.lines.etasCleared > 0) lines.push(`${report.lines.etasCleared} backorder line(s) no longer waiting still had an ETA — cleared`);
  if (report.tokenReencrypted) lines.push('the access token was encrypted under an older key — re-encrypted under the current ENCRYPTION_KEY');
  const scripts = report.registration?.scripts;
  if (scripts) {
    for (const s of scripts.created) lines.push(`script "${s.name}" was missing — created`);
    for (const s of scripts.updated) lines.push(`script "${s.name}" differed (${s.changes?.join(', ')}) — updated`);
    for (const s of scripts.deleted) lines.push(`script "${s.name}" is no longer used — deleted`);
  }
  return lines;
}

/** How far back a store's first reconcile re-reads orders. */
const FIRST_RUN_LOOKBACK_MS = 30 * 24 * 3600 * 1000;
/** Orders changed shortly before the last run may have been read mid-change: read them again. */
const OVERLAP_MS = 3600 * 1000;

/** Runs and records one store's reconcile; the report's lines say what was fixed. */
export async function runReconcile(
  deps: StockDeps,
  connection: StoreConnection,
  registration: ReconcileOptions['registration'],
  now = new Date(),
): Promise<{ report: ReconcileReport; fixes: string[] }> {
  const { db } = deps;
  const storeHash = connection.storeHash;
  const { lastFinished, through } = await ordersProgress(db, storeHash);
  const window = (lastFinished?.getTime() ?? now.getTime() - FIRST_RUN_LOOKBACK_MS) - OVERLAP_MS;
  // A run stopped part-way (the store's API budget spent) converged the orders up to `through`: go on from
  // there, or a store with more changed orders than one window allows would never be reconciled. From the
  // same second, since BigCommerce dates changes to the second.
  const ordersSince = new Date(Math.max(window, through?.getTime() ?? window));
  const runId = await startRun(db, storeHash, now);
  let ordersThrough: Date | undefined;
  try {
    const report = await reconcileStore(deps, connection, {
      ordersSince,
      orderDone: (modifiedAt) => (ordersThrough = modifiedAt),
      ...(registration ? { registration } : {}),
    });
    const fixes = describeReport(report);
    await finishRun(db, runId, { fixes });
    return { report, fixes };
  } catch (error) {
    await finishRun(db, runId, { error: (error as Error).message, ordersThrough });
    throw error;
  }
}
