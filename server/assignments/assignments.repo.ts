/** Rows of `assignments` and the inventory items created with them. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Assignment, AssignmentState, Availability, InventoryItem, TrackingMode } from '../db/schema.ts';

export interface NewItem {
  /** null when the product is tracked at product level. */
  variantId: number | null;
  sku: string;
  currentStock: number;
  /** null: unlimited. */
  backorderThreshold: number | null;
  incomingStock?: number;
  /** YYYY-MM-DD */
  backInStockDate?: string | null;
  /** The level BigCommerce reported at assignment. */
  bigcommerceLevel: number | null;
}

export interface NewAssignment {
  storeHash: string;
  productId: number;
  trackedBy: 'product' | 'variant';
  savedInventoryTracking: TrackingMode;
  savedAvailability: Availability;
  items: NewItem[];
  /** From when its orders are the app's to count; default `assignedAtOf`'s. */
  assignedAt?: Date;
  /** Default `active`: BigCommerce already confirmed (tests, imports of history). */
  state?: AssignmentState;
  /** Default true; false while the saved tracking mode and availability are the mirror's guess. */
  settingsSaved?: boolean;
}

/**
 * A product BigCommerce tracks, being assigned, has its orders counted by BigCommerce's level until the assign
 * job turns tracking off: from when the app counts them is set then (null until). Any other counts from now.
 */
function assignedAtOf(assignment: NewAssignment): { assigned_at?: Date | null } {
  if (assignment.assignedAt) return { assigned_at: assignment.assignedAt };
  return assignment.state === 'assigning' && assignment.savedInventoryTracking !== 'none' ? { assigned_at: null } : {};
}

/** Creates the assignment and its items in the caller's transaction. */
export async function insertAssignment(trx: Db, assignment: NewAssignment): Promise<{ assignment: Assignment; items: InventoryItem[] }> {
  const row = await trx
    .insertInto('assignments')
    .values({
      store_hash: assignment.storeHash,
      product_id: assignment.productId,
      tracked_by: assignment.trackedBy,
      saved_inventory_tracking: assignment.savedInventoryTracking,
      saved_availability: assignment.savedAvailability,
      ...assignedAtOf(assignment),
      ...(assignment.state ? { state: assignment.state } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const items = await insertItems(trx, assignment.storeHash, row.id, assignment.productId, assignment.items);
  return { assignment: row, items };
}

/** Adds items to an assignment (its creation, or a variant created later in BigCommerce). */
export async function insertItems(trx: Db, storeHash: string, assignmentId: number, productId: number, items: readonly NewItem[]): Promise<InventoryItem[]> {
  if (items.length === 0) return [];
  return trx
    .insertInto('inventory_items')
    .values(items.map((item) => itemRow(storeHash, assignmentId, productId, item)))
    .returningAll()
    .execute();
}

function itemRow(storeHash: string, assignmentId: number, productId: number, item: NewItem) {
  return {
    store_hash: storeHash,
    assignment_id: assignmentId,
    product_id: productId,
    variant_id: item.variantId,
    sku: item.sku,
    starting_stock: item.currentStock,
    current_stock: item.currentStock,
    backorder_threshold: item.backorderThreshold,
    incoming_stock: item.incomingStock ?? 0,
    back_in_stock_date: item.backInStockDate ?? null,
    bigcommerce_level: item.bigcommerceLevel,
    // A stock the merchant gave counts orders from now; one read from BigCommerce's level, as its product does.
    ...(item.bigcommerceLevel === null ? { stock_given_at: sql<Date>`now()` } : {}),
  };
}

/** Rows per statement when many products are assigned at once (an import), well under 65,535 parameters. */
const BULK_CHUNK = 2_000;

/** Creates many assignments and their items in the caller's transaction, a few statements per 2,000 products. */
export async function insertAssignments(trx: Db, assignments: readonly NewAssignment[]): Promise<number[]> {
  const itemIds: number[] = [];
  for (let i = 0; i < assignments.length; i += BULK_CHUNK) {
    const slice = assignments.slice(i, i + BULK_CHUNK);
    const rows = await trx
      .insertInto('assignments')
      .values(
        slice.map((a) => ({
          store_hash: a.storeHash,
          product_id: a.productId,
          tracked_by: a.trackedBy,
          saved_inventory_tracking: a.savedInventoryTracking,
          saved_availability: a.savedAvailability,
          ...assignedAtOf(a),
          ...(a.state ? { state: a.state } : {}),
          ...(a.settingsSaved !== undefined ? { settings_saved: a.settingsSaved } : {}),
        })),
      )
      .returning(['id', 'product_id'])
      .execute();
    const idOf = new Map(rows.map((row) => [row.product_id, row.id]));
    const items = slice.flatMap((a) => a.items.map((item) => itemRow(a.storeHash, idOf.get(a.productId)!, a.productId, item)));
    for (let j = 0; j < items.length; j += BULK_CHUNK) {
      const inserted = await trx
        .insertInto('inventory_items')
        .values(items.slice(j, j + BULK_CHUNK))
        .returning('id')
        .execute();
      itemIds.push(...inserted.map((row) => row.id));
    }
  }
  return itemIds;
}

export interface ActiveAssignment {
  assignment: Assignment;
  items: InventoryItem[];
}

/** The store's assigned products with their active items, oldest assignment first. */
export async function activeAssignments(db: Db, storeHash: string): Promise<ActiveAssignment[]> {
  const assignments = await db
    .selectFrom('assignments')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('released_at', 'is', null)
    .orderBy('id')
    .execute();
  return withItems(db, storeHash, assignments);
}

/**
 * How many active products have an item not yet in the limit mode (`strict`), by the rule the limit-mode job
 * switches them by (limit-mode.job.ts, `toSwitch`): a product BigCommerce did not track before it was
 * assigned stays flexible in strict mode.
 */
export async function countOutOfMode(db: Db, storeHash: string, strict: boolean): Promise<number> {
  const row = await db
    .selectFrom('assignments as a')
    .innerJoin('inventory_items as i', (join) => join.onRef('i.assignment_id', '=', 'a.id').onRef('i.store_hash', '=', 'a.store_hash'))
    .select(sql<string>`count(distinct a.id)`.as('n'))
    .where('a.store_hash', '=', storeHash)
    .where('a.released_at', 'is', null)
    .where('a.state', '=', 'active')
    .where('i.retired_at', 'is', null)
    .where('i.strict_since', strict ? 'is' : 'is not', null)
    .$if(strict, (q) => q.where('a.saved_inventory_tracking', '!=', 'none'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One assignment not yet released, with its active items; undefined once released. */
export async function heldAssignment(db: Db, storeHash: string, assignmentId: number): Promise<ActiveAssignment | undefined> {
  const row = await db
    .selectFrom('assignments')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where('id', '=', assignmentId)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return row ? (await withItems(db, storeHash, [row]))[0] : undefined;
}

/** The assignments with their active items. */
export async function withItems(db: Db, storeHash: string, assignments: Assignment[]): Promise<ActiveAssignment[]> {
  if (assignments.length === 0) return [];
  const items = await db
    .selectFrom('inventory_items')
    .selectAll()
    .where('store_hash', '=', storeHash)
    .where(
      'assignment_id',
      'in',
      assignments.map((a) => a.id),
    )
    .where('retired_at', 'is', null)
    .orderBy('id')
    .execute();
  return assignments.map((assignment) => ({ assignment, items: items.filter((item) => item.assignment_id === assignment.id) }));
}

/**
 * Ends an assignment in one transaction: its items are retired (their stock stops moving) under their row
 * locks, and their open backorder lines are marked released (`retireItems`). False when it was already
 * released, or was not in `onlyIn` when that is given.
 */
export async function releaseAssignment(db: Db, storeHash: string, assignmentId: number, reason: string, onlyIn?: AssignmentState): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const items = await trx
      .selectFrom('inventory_items')
      .select('id')
      .where('store_hash', '=', storeHash)
      .where('assignment_id', '=', assignmentId)
      .where('retired_at', 'is', null)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
    const released = await trx
      .updateTable('assignments')
      .set({ released_at: sql`now()`, release_reason: reason })
      .where('store_hash', '=', storeHash)
      .where('id', '=', assignmentId)
      .where('released_at', 'is', null)
      .$if(onlyIn !== undefined, (qb) => qb.where('state', '=', onlyIn!))
      .executeTakeFirst();
    if (Number(released.numUpdatedRows) === 0) return false;
    await retireItems(
      trx,
      storeHash,
      items.map((item) => item.id),
    );
    return true;
  });
}

/**
 * Retires items under the caller's row locks: their stock stops moving, and their open backorder lines —
 * waiting or allocated, not shipped — are marked released, their numbers kept for history (they stay in the
 * report). The app follows a retired item's orders no more (orders.service skips it), so a line left open
 * would stay open for good, over the limit for good when it was: nothing it could still do would close it.
 * A released line waits for nothing, so it has no ETA.
 */
export async function retireItems(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await trx
    .updateTable('inventory_items')
    .set({ retired_at: sql`now()`, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('id', 'in', [...itemIds])
    .execute();
  await trx
    .updateTable('backorder_lines')
    .set({ status: 'released', eta: null, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('item_id', 'in', [...itemIds])
    .where('status', 'in', ['waiting', 'allocated'])
    .execute();
}
