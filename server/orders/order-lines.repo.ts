/** Rows of `order_lines`: what the app holds for each order line of an assigned item. */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OrderLine } from '../db/schema.ts';
import { columnNames, unnestRows, type UnnestColumns } from '../db/unnest.ts';
import { lineGrowth, type LineGrowth } from '../backorders/backorders.repo.ts';
import { inLockOrder, lockedItemOf, lockingItems, lockItems, type LockedItem } from '../inventory/inventory.repo.ts';
import { outOfStep } from '../inventory/selling-candidates.repo.ts';
import { noteOwed } from './order-notes.repo.ts';

export interface NewOrderLine {
  orderId: number;
  orderProductId: number;
  itemId: number;
  productId: number;
  variantId: number | null;
  sku: string;
  productName: string;
  orderedQty: number;
  orderStatusId: number;
  orderCreatedAt: Date;
  predatesAssignment: boolean;
  /** The snapshot the line is written from (OrderSnapshot's `modifiedAt` and `readAt`). */
  snapshot: SnapshotVersion;
}

/** The version of an order snapshot: BigCommerce's `date_modified`, then when the app's read of it began. */
export interface SnapshotVersion {
  modifiedAt: Date;
  readAt: Date;
}

/** The order's lines and the items they hold from, locked for the stock change (`lockItemsAndLines`). */
export interface LockedLines {
  items: Map<number, LockedItem>;
  /** The lines by `lineKey`; none for a line whose item is not locked (retired: it no longer moves). */
  lines: Map<string, OrderLine>;
}

/** How `LockedLines` names an order line. */
export const lineKey = (orderId: number, orderProductId: number) => `${orderId}:${orderProductId}`;

/**
 * A row carrying a locked item's columns and its line's side by side, by name: a column both had would be read
 * from one of them only, so should one ever be added to both, the row is `never` and its reader fails to compile.
 */
type ItemWithLine = [keyof LockedItem & keyof OrderLine] extends [never] ? LockedItem & OrderLine : never;

/**
 * Locks the items (inventory.repo's `lockingItems`: in id order) and then the lines, in one statement: each
 * line — created, holding nothing, unless it exists (an upsert that changes nothing still takes the row's
 * lock and returns it) — is joined to its locked item, so it is locked only once its item is. Only an order's
 * stock change locks order lines, always under their items' locks, so no change ever waits for a line. An
 * existing line is returned as recorded, on the item it was recorded on: that item must be among `itemIds`.
 */
export async function lockItemsAndLines(trx: Db, storeHash: string, itemIds: readonly number[], lines: readonly NewOrderLine[]): Promise<LockedLines> {
  const columns: UnnestColumns<NewOrderLine> = {
    order_id: ['int', (l) => l.orderId],
    order_product_id: ['int', (l) => l.orderProductId],
    item_id: ['bigint', (l) => l.itemId],
    product_id: ['int', (l) => l.productId],
    variant_id: ['int', (l) => l.variantId],
    sku: ['text', (l) => l.sku],
    product_name: ['text', (l) => l.productName],
    ordered_qty: ['int', (l) => l.orderedQty],
    order_status_id: ['int', (l) => l.orderStatusId],
    order_created_at: ['timestamptz', (l) => l.orderCreatedAt],
    predates_assignment: ['boolean', (l) => l.predatesAssignment],
    snapshot_modified_at: ['timestamptz', (l) => l.snapshot.modifiedAt],
    snapshot_read_at: ['timestamptz', (l) => l.snapshot.readAt],
  };
  const { rows } = await sql<ItemWithLine & { locked_id: string }>`
    with locked as (${lockingItems(storeHash, inLockOrder(itemIds))}),
    lines as (
      insert into order_lines (store_hash, ${sql.raw(columnNames(columns))})
      select ${storeHash}, t.* from ${unnestRows(lines, columns)} join locked on locked.id = t.item_id
      on conflict (store_hash, order_id, order_product_id) do update set order_id = order_lines.order_id
      returning *
    )
    select locked.id as locked_id, locked.*, l.* from locked left join lines l on l.item_id = locked.id`.execute(trx);
  const items = new Map<number, LockedItem>();
  const locked = new Map<string, OrderLine>();
  for (const row of rows) {
    items.set(Number(row.locked_id), lockedItemOf(row));
    if (row.order_id !== null) locked.set(lineKey(row.order_id, row.order_product_id), row);
  }
  return { items, lines: locked };
}

/** What one order line holds now, as `heldRecord` records it. */
export interface HeldNow {
  orderId: number;
  orderProductId: number;
  heldQty: number;
  orderedQty: number;
  orderStatusId: number;
  /** Units of it shipped: they left with the shopper (backorders.repo's `shippedAllocated`). */
  shippedQty: number;
  /** Its units moved: the next move's key is new. */
  bumpVersion: boolean;
  /** The snapshot converged: what the line is now written from. */
  snapshot: SnapshotVersion;
  /** The line as it reads now (an edit may change its variant without moving it to another item). */
  described: { variantId: number | null; sku: string; productName: string };
  /** The line now holds from another item (its product or variant changed): that item, its product, and whether the order predates it. */
  movedTo?: { itemId: number; productId: number; predatesAssignment: boolean };
}

/**
 * Records what the lines hold now and grows the backorder lines of those of them that took units (`growths`,
 * backorders.repo's `lineGrowth`): common table expressions that the stock move's statement runs
 * (stock-moves.repo's `alongside`), so that an order's change writes its stock, its ledger, its lines and
 * their backorder lines in one round trip.
 */
export function heldRecord(storeHash: string, lines: readonly HeldNow[], growths: readonly LineGrowth[]): RawBuilder<unknown> {
  const input = unnestRows(lines, {
    order_id: ['int', (l) => l.orderId],
    order_product_id: ['int', (l) => l.orderProductId],
    held_qty: ['int', (l) => l.heldQty],
    ordered_qty: ['int', (l) => l.orderedQty],
    order_status_id: ['int', (l) => l.orderStatusId],
    shipped_qty: ['int', (l) => l.shippedQty],
    bump: ['boolean', (l) => l.bumpVersion],
    modified_at: ['timestamptz', (l) => l.snapshot.modifiedAt],
    read_at: ['timestamptz', (l) => l.snapshot.readAt],
    item_id: ['bigint', (l) => l.movedTo?.itemId ?? null],
    product_id: ['int', (l) => l.movedTo?.productId ?? null],
    predates: ['boolean', (l) => l.movedTo?.predatesAssignment ?? null],
    variant_id: ['int', (l) => l.described.variantId],
    sku: ['text', (l) => l.described.sku],
    product_name: ['text', (l) => l.described.productName],
  });
  const moved = (column: string, value: string) => sql.raw(`${column} = case when t.item_id is null then o.${column} else ${value} end`);
  return sql`
    held as (
      update order_lines o set held_qty = t.held_qty, ordered_qty = t.ordered_qty, order_status_id = t.order_status_id, shipped_qty = t.shipped_qty,
        version = o.version + case when t.bump then 1 else 0 end, snapshot_modified_at = t.modified_at, snapshot_read_at = t.read_at, updated_at = now(),
        ${sql.join(
          ['item_id', 'product_id'].map((column) => moved(column, `t.${column}`)),
          sql`, `,
        )}, ${moved('predates_assignment', 't.predates')}, variant_id = t.variant_id, sku = t.sku, product_name = t.product_name
      from ${input}
      where o.store_hash = ${storeHash} and o.order_id = t.order_id and o.order_product_id = t.order_product_id
      returning o.order_id, o.order_product_id, o.item_id, o.ordered_qty, o.variant_id, o.sku, o.product_name
    )${growths.length > 0 ? sql`, ${lineGrowth(storeHash, growths)}` : sql``}, ${describedAsHeld(storeHash, growths.length > 0)}`;
}

/**
 * A line edited on its item without growing there — its variant changed on a product tracked as a whole, its
 * quantity lowered or raised with as many units refunded — has its backorder line (open or shipped) read as the
 * line does now; a line that grows is written so by `lineGrowth` (two updates of one row in a statement would
 * keep one of them).
 */
function describedAsHeld(storeHash: string, growing: boolean): RawBuilder<unknown> {
  return sql`described as (
      update backorder_lines b set ordered_qty = h.ordered_qty, variant_id = h.variant_id, sku = h.sku, product_name = h.product_name, updated_at = now()
      from held h
      where b.store_hash = ${storeHash} and b.order_id = h.order_id and b.order_product_id = h.order_product_id and b.item_id = h.item_id
        and b.status in ('waiting', 'allocated', 'shipped')
        and (b.ordered_qty, b.variant_id, b.sku, b.product_name) is distinct from (h.ordered_qty, h.variant_id, h.sku, h.product_name)
        ${growing ? sql`and not exists (select 1 from growth g where g.order_id = h.order_id and g.order_product_id = h.order_product_id)` : sql``}
      returning 1
    )`;
}

/** Marks the order line's backorder line shipped (done at once, with no ETA, when nothing of it still waits). */
export async function markLineShipped(trx: Db, storeHash: string, orderId: number, orderProductId: number): Promise<void> {
  await trx
    .updateTable('backorder_lines')
    .set({
      shipped_at: sql`coalesce(shipped_at, now())`,
      status: sql`case when backordered_qty = allocated_qty then 'shipped' else status end`,
      eta: sql`case when backordered_qty = allocated_qty then null else eta end`,
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .where('order_id', '=', orderId)
    .where('order_product_id', '=', orderProductId)
    .where('status', 'in', ['waiting', 'allocated'])
    .execute();
}

/**
 * Takes the shipped mark off the order line's backorder line: its order no longer reads shipped (its status set
 * back, or its quantity raised in an edit), so its allocated units beyond those shipped (`shippedAllocated`) are
 * in the warehouse again — a correction can return them to waiting, and a restock no longer marks them shipped.
 * Returns whether it was marked.
 */
export async function unmarkLineShipped(trx: Db, storeHash: string, orderId: number, orderProductId: number): Promise<boolean> {
  const result = await trx
    .updateTable('backorder_lines')
    .set({
      shipped_at: null,
      status: sql`case when backordered_qty > allocated_qty then 'waiting' else 'allocated' end`,
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .where('order_id', '=', orderId)
    .where('order_product_id', '=', orderProductId)
    .where('status', 'in', ['waiting', 'allocated', 'shipped'])
    .where('shipped_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An order line as the app last recorded it, with its item now. */
export interface RecordedLine {
  item_id: number;
  product_id: number;
  variant_id: number | null;
  sku: string;
  product_name: string;
  held_qty: number;
  ordered_qty: number;
  order_status_id: number;
  shipped_qty: number;
  predates_assignment: boolean;
  retired_at: Date | null;
  current_stock: number;
  backorder_threshold: number | null;
  /** Its item's selling is out of step with its salable quantity (selling-candidates.repo's rule). */
  selling_out_of_step: boolean;
}

/** One of the order's lines as `targetLines` finds it: in the order now, recorded by the app, or both. */
export interface TargetLine {
  orderProductId: number;
  /**
   * The item the line holds from now; none when it left the order or its product (variant) is not held. Its
   * orders count from `assignedAt`: when the merchant gave its stock, else from when its product's do.
   */
  item?: { id: number; assignedAt: Date | null; sellingOutOfStep: boolean };
  /** What the app recorded of the line; none for a line seen for the first time. */
  recorded?: RecordedLine;
}

/** What converging an order starts from: its lines of assigned items, and whether its note is owed. */
export interface OrderTargets {
  lines: TargetLine[];
  /** It has backordered lines and its note is not recorded as written (order-notes.repo's `noteOwed`). */
  noteOwed: boolean;
}

type TargetRow = {
  order_product_id: number;
  item_id: number | null;
  assigned_at: Date | null;
  out_of_step: boolean;
  recorded_item_id: number | null;
  /** Null where the recorded item is the line's item now: its `out_of_step`. */
  selling_out_of_step: boolean | null;
} & Omit<RecordedLine, 'item_id' | 'selling_out_of_step'>;

/**
 * The order's lines now and the lines the app recorded of it, side by side, in one statement. A line holds
 * from the item it was recorded on, unless its product or variant changed (then, like a line seen for the
 * first time, from its product's — or variant's — item in service) or it left the order (from none); a line
 * of a retired item stays where it was. Lines of items the app does not hold, and never held, are left out.
 * A repeat delivery (BigCommerce sends several events for one order, and its echo of the note) needs nothing
 * more: the same statement says whether the order's note is owed.
 */
export async function targetLines(
  db: Db,
  storeHash: string,
  orderId: number,
  lines: ReadonlyArray<{ orderProductId: number; productId: number; variantId: number | null }>,
): Promise<OrderTargets> {
  const { rows } = await sql<TargetRow & { note_owed: boolean }>`
    with t as (
      select * from ${unnestRows(lines, { order_product_id: ['int', (l) => l.orderProductId], product_id: ['int', (l) => l.productId], variant_id: ['int', (l) => l.variantId] })}
    ), ol as (select * from order_lines where store_hash = ${storeHash} and order_id = ${orderId})
    select coalesce(t.order_product_id, ol.order_product_id) as order_product_id, i.id as item_id, least(i.stock_given_at, a.assigned_at) as assigned_at,
           ${outOfStep('i')} as out_of_step,
           ol.item_id as recorded_item_id, ol.product_id, ol.variant_id, ol.sku, ol.product_name, ol.held_qty, ol.ordered_qty, ol.order_status_id,
           ol.shipped_qty, ol.predates_assignment, r.retired_at, r.current_stock, r.backorder_threshold,
           -- The recorded item's, only where it is not the line's item now (whose is out_of_step): the order path reads it once.
           case when r.id = i.id then null else ${outOfStep('r')} end as selling_out_of_step,
           ${noteOwed(storeHash, orderId)} as note_owed
    from t full join ol on ol.order_product_id = t.order_product_id
    left join inventory_items r on r.id = ol.item_id
    left join inventory_items i on i.id = case
      when t.order_product_id is null then null
      when r.retired_at is not null or (ol.product_id = t.product_id and ol.variant_id is not distinct from t.variant_id) then ol.item_id
      else (
        select n.id from inventory_items n
        where n.store_hash = ${storeHash} and n.product_id = t.product_id and n.retired_at is null
          and (n.variant_id is null or n.variant_id = coalesce(t.variant_id, -1))
        limit 1) end
    left join assignments a on a.id = i.assignment_id
    where ol.order_product_id is not null or i.id is not null`.execute(db);
  return {
    lines: rows.map(({ order_product_id, item_id, assigned_at, out_of_step, recorded_item_id, note_owed: _owed, selling_out_of_step, ...recorded }) => ({
      orderProductId: order_product_id,
      ...(item_id !== null ? { item: { id: item_id, assignedAt: assigned_at, sellingOutOfStep: out_of_step } } : {}),
      ...(recorded_item_id !== null ? { recorded: { ...recorded, item_id: recorded_item_id, selling_out_of_step: selling_out_of_step ?? out_of_step } } : {}),
    })),
    noteOwed: rows.some((row) => row.note_owed),
  };
}

/**
 * The items' lines of orders placed before their product's `assigned_at` (by `predates`' rule) — the orders
 * BigCommerce's level counts — marked as predating it, under the items' locks; returns the orders of such lines
 * still holding units, to be converged again (each then gives its units back). For an assign that counts the
 * products' orders from later than it first did: an attempt whose take-over did not happen, tried again.
 */
export async function leaveToLevel(db: Db, storeHash: string, itemIds: readonly number[]): Promise<number[]> {
  if (itemIds.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    await lockItems(trx, storeHash, itemIds);
    const { rows } = await sql<{ order_id: number }>`
      with marked as (
        update order_lines ol set predates_assignment = true
        from inventory_items i join assignments a on a.store_hash = i.store_hash and a.id = i.assignment_id
        where ol.store_hash = ${storeHash} and i.store_hash = ${storeHash} and i.id = any(${[...itemIds]}::bigint[]) and ol.item_id = i.id
          and not ol.predates_assignment and ol.order_created_at < date_trunc('second', a.assigned_at)
        returning ol.order_id, ol.held_qty
      )
      select order_id from marked where held_qty > 0
      union
      select order_id from order_lines where store_hash = ${storeHash} and item_id = any(${[...itemIds]}::bigint[]) and predates_assignment and held_qty > 0`.execute(
      trx,
    );
    return rows.map((row) => row.order_id);
  });
}
