/**
 * Rows of `backorder_lines`, and the item's unexplained shortfall that stands beside them. A line's waiting
 * units are backordered_qty - allocated_qty. Allocation serves the oldest waiting units first (order date,
 * then line id); a correction that lowers stock returns the newest allocated, unshipped units to waiting.
 * Each is one statement over a running sum.
 *
 * A line's allocated units shipped (`shippedAllocated`) have left with the shopper: nothing takes them back.
 * Its order line records the units shipped; the units the line took from stock ship first, so only those
 * shipped beyond them are its allocated ones — and units it takes from stock after some shipped do not count
 * as the ones shipped (`shipped_beyond_stock_qty`). A line shipped while waiting keeps waiting: the units shipped
 * beyond those allocated are still owed by the next restock, and once allocated they are shipped ones too.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import { unnestRows } from '../db/unnest.ts';

export interface LineGrowth {
  itemId: number;
  orderId: number;
  orderProductId: number;
  productId: number;
  variantId: number | null;
  sku: string;
  productName: string;
  orderedQty: number;
  orderCreatedAt: Date;
  fromStock: number;
  backordered: number;
  overCap: number;
  /** Units the order line already held, all from stock, when it had no backorder line yet. */
  previouslyHeld: number;
  /** Units of the order line shipped, as recorded before this change. */
  previouslyShipped: number;
}

/**
 * Records units order lines took: the common table expressions of a statement (order-lines.repo's
 * `heldRecord` runs them with what the lines hold now, in the stock move's statement). A line that took only
 * stock units gets a backorder line only once it takes units beyond stock. A cancelled or archived line that
 * comes back (order reinstated) starts over, and so does one whose order line moved to another item (its
 * product or variant changed in an edit): it is that item's now, what it owed the other given back. Run under
 * the order lines' locks (orders.service), so a line's row cannot appear between the update and the insert;
 * each order line at most once.
 */
export function lineGrowth(storeHash: string, growths: readonly LineGrowth[]): RawBuilder<unknown> {
  const anew = sql`(b.status in ('cancelled', 'archived') or b.item_id <> i.item_id)`;
  const rows = unnestRows(growths, {
    order_id: ['int', (g) => g.orderId],
    order_product_id: ['int', (g) => g.orderProductId],
    item_id: ['bigint', (g) => g.itemId],
    product_id: ['int', (g) => g.productId],
    variant_id: ['int', (g) => g.variantId],
    sku: ['text', (g) => g.sku],
    product_name: ['text', (g) => g.productName],
    ordered_qty: ['int', (g) => g.orderedQty],
    order_created_at: ['timestamptz', (g) => g.orderCreatedAt],
    from_stock: ['int', (g) => g.fromStock],
    backordered: ['int', (g) => g.backordered],
    over_cap: ['int', (g) => g.overCap],
    previously_held: ['int', (g) => g.previouslyHeld],
    previously_shipped: ['int', (g) => g.previouslyShipped],
  });
  return sql`
    growth as (select * from ${rows}), grown as (
      update backorder_lines b set
        ordered_qty = i.ordered_qty,
        from_stock_qty = case when ${anew} then i.from_stock + i.previously_held else b.from_stock_qty + i.from_stock end,
        -- Units it takes from stock now ship after those already shipped beyond its units from stock (shippedAllocated).
        shipped_beyond_stock_qty = case when ${anew} then 0
                                        else greatest(b.shipped_beyond_stock_qty, i.previously_shipped - b.from_stock_qty) end,
        backordered_qty = case when ${anew} then i.backordered else b.backordered_qty + i.backordered end,
        allocated_qty = case when ${anew} then 0 else b.allocated_qty end,
        over_cap_qty = case when ${anew} then i.over_cap else b.over_cap_qty + i.over_cap end,
        status = case when ${anew} or b.backordered_qty + i.backordered > b.allocated_qty then 'waiting' else b.status end,
        shipped_at = case when ${anew} then null else b.shipped_at end,
        -- A line starting over has no ETA until its item's incoming stock gives it one (stock.service refreshes them).
        eta = case when ${anew} then null else b.eta end,
        item_id = i.item_id, product_id = case when b.item_id <> i.item_id then i.product_id else b.product_id end,
        -- As the line reads now: an edit may change its variant without moving it to another item.
        variant_id = i.variant_id, sku = i.sku, product_name = i.product_name,
        updated_at = now()
      from growth i
      where b.store_hash = ${storeHash} and b.order_id = i.order_id and b.order_product_id = i.order_product_id
        and (i.backordered > 0 or not ${anew})
      returning b.order_id, b.order_product_id
    ), started as (
      insert into backorder_lines (store_hash, item_id, order_id, order_product_id, product_id, variant_id, sku, product_name, ordered_qty,
        from_stock_qty, backordered_qty, over_cap_qty, status, order_created_at)
      select ${storeHash}, i.item_id, i.order_id, i.order_product_id, i.product_id, i.variant_id, i.sku, i.product_name, i.ordered_qty,
        i.from_stock + i.previously_held, i.backordered, i.over_cap, 'waiting', i.order_created_at
      from growth i
      where i.backordered > 0 and not exists (select 1 from grown g where g.order_id = i.order_id and g.order_product_id = i.order_product_id)
      returning 1
    )`;
}

/**
 * An order line gives back `units` on an item: its own waiting units go first, then its allocated units, then
 * the units it took from stock. Units over the cap, the line's last taken, are the first given back: a line
 * refunded back within the limit no longer counts as over it. A line given back entirely is cancelled, its
 * numbers kept for history; one still holding units shows the quantity ordered now (an edit may have lowered it).
 * Only a line still waiting keeps its ETA. A shipped line gives back too (a return refunded, a shipped order
 * cancelled): it stays shipped while it holds units, and is cancelled once it holds none — else an order
 * reinstated afterwards would add the units it takes again to the ones it shipped the first time.
 */
export async function shrinkLine(
  trx: Db,
  storeHash: string,
  line: { orderId: number; orderProductId: number; itemId: number; orderedQty: number },
  units: number,
  heldAfter: number,
): Promise<void> {
  const { orderId, orderProductId, itemId, orderedQty } = line;
  await sql`
    with line as (
      select id, backordered_qty - allocated_qty as waiting, allocated_qty
      from backorder_lines
      where store_hash = ${storeHash} and order_id = ${orderId} and order_product_id = ${orderProductId} and item_id = ${itemId}
        and status in ('waiting', 'allocated', 'shipped')
    ), given as (
      select id, waiting,
             least(${units}, waiting) as from_waiting,
             least(greatest(${units} - waiting, 0), allocated_qty) as from_allocated
      from line
    )
    update backorder_lines b set
      ordered_qty = case when ${heldAfter} = 0 then b.ordered_qty else ${orderedQty}::int end,
      backordered_qty = case when ${heldAfter} = 0 then b.backordered_qty else b.backordered_qty - g.from_waiting - g.from_allocated end,
      allocated_qty = case when ${heldAfter} = 0 then b.allocated_qty else b.allocated_qty - g.from_allocated end,
      over_cap_qty = case when ${heldAfter} = 0 then b.over_cap_qty else greatest(b.over_cap_qty - g.from_waiting - g.from_allocated, 0) end,
      shipped_beyond_stock_qty = case when ${heldAfter} = 0 then b.shipped_beyond_stock_qty
                                      else least(b.shipped_beyond_stock_qty, b.backordered_qty - g.from_waiting - g.from_allocated) end,
      from_stock_qty = case when ${heldAfter} = 0 then b.from_stock_qty
                            else greatest(b.from_stock_qty - (${units} - g.from_waiting - g.from_allocated), 0) end,
      status = case when ${heldAfter} = 0 then 'cancelled' when g.waiting > g.from_waiting then 'waiting'
                    when b.status = 'shipped' then 'shipped' else 'allocated' end,
      eta = case when ${heldAfter} <> 0 and g.waiting > g.from_waiting then b.eta end,
      updated_at = now()
    from given g
    where b.id = g.id`.execute(trx);
}

/**
 * The lines of an archived order, once it gave back what it had not shipped: those left with nothing
 * waiting end as archived, their numbers kept for history; shipped lines stay shipped.
 */
export async function archiveLines(trx: Db, storeHash: string, orderId: number): Promise<void> {
  await trx
    .updateTable('backorder_lines')
    .set({ status: 'archived', eta: null, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('order_id', '=', orderId)
    .where('status', 'in', ['waiting', 'allocated', 'cancelled'])
    // In parentheses: Kysely adds none around raw SQL, and an `or` loose among the `and`s matched every cancelled
    // line of every store.
    .where(sql<boolean>`(backordered_qty = allocated_qty or status = 'cancelled')`)
    .execute();
}

/** Allocates the `units` oldest waiting units of the item. */
export async function allocateOldest(trx: Db, storeHash: string, itemId: number, units: number): Promise<number> {
  if (units <= 0) return 0;
  const result = await sql`
    with waiting as (
      select id, backordered_qty - allocated_qty as waiting,
             sum(backordered_qty - allocated_qty) over (order by order_created_at, order_id, order_product_id) as running
      from backorder_lines
      where store_hash = ${storeHash} and item_id = ${itemId} and status = 'waiting'
    )
    update backorder_lines b set
      allocated_qty = b.allocated_qty + least(w.waiting, ${units} - (w.running - w.waiting)),
      -- A line of an order that already shipped is done once its last unit is allocated.
      status = case when w.running > ${units} then 'waiting'
                    when b.shipped_at is not null then 'shipped' else 'allocated' end,
      eta = case when w.running <= ${units} then null else b.eta end,
      updated_at = now()
    from waiting w
    where b.id = w.id and w.running - w.waiting < ${units}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Deals the item's allocated, unshipped units again, oldest lines first, as many as there are: a line that
 * came to wait behind newer allocated ones (its order's event came late, or the order was reinstated) takes
 * their units, and they wait again. Lines of orders shipped keep theirs, and so do lines their units shipped
 * (`shippedAllocated`): only the others are dealt. Waiting units stay as many.
 */
export async function allocateByAge(trx: Db, storeHash: string, itemId: number): Promise<void> {
  await sql`
    with pinned as (
      select b.id, b.order_created_at, b.order_id, b.order_product_id, b.backordered_qty, b.allocated_qty, ${shippedAllocated('b', 'ol')} as shipped
      from backorder_lines b ${orderLineOf('b', 'ol')}
      where b.store_hash = ${storeHash} and b.item_id = ${itemId} and b.status in ('waiting', 'allocated') and b.shipped_at is null
    ), open as (
      select id, backordered_qty, allocated_qty, shipped, backordered_qty - shipped as owed,
             sum(backordered_qty - shipped) over (order by order_created_at, order_id, order_product_id) as running
      from pinned
    ), dealt as (
      select o.id, o.shipped + least(o.owed, greatest(0, t.units - (o.running - o.owed))) as allocated
      from open o cross join (select coalesce(sum(allocated_qty - shipped), 0) as units from open) t
    )
    update backorder_lines b set
      allocated_qty = d.allocated,
      status = case when d.allocated = b.backordered_qty then 'allocated' else 'waiting' end,
      eta = case when d.allocated = b.backordered_qty then null else b.eta end,
      updated_at = now()
    from dealt d
    where b.id = d.id and b.allocated_qty <> d.allocated`.execute(trx);
}

/**
 * The units of line `b` allocated and shipped, from its order line `ol` (joined left on the line's order line:
 * none counts nothing shipped): its units shipped beyond those it took from stock — and no fewer than were so
 * when it last took more from stock (`shipped_beyond_stock_qty`: units taken from stock after some shipped do
 * not count as the ones shipped).
 */
export const shippedAllocated = (b: string, ol: string): RawBuilder<number> =>
  sql<number>`least(${sql.ref(`${b}.allocated_qty`)}, greatest(0, coalesce(${sql.ref(`${ol}.shipped_qty`)}, 0) - ${sql.ref(`${b}.from_stock_qty`)}, ${sql.ref(`${b}.shipped_beyond_stock_qty`)}))`;

/** Joins line `b`'s order line as `ol`, for `shippedAllocated`. */
export const orderLineOf = (b: string, ol: string) =>
  sql`left join order_lines ${sql.raw(ol)} on ${sql.ref(`${ol}.store_hash`)} = ${sql.ref(`${b}.store_hash`)} and ${sql.ref(`${ol}.order_id`)} = ${sql.ref(`${b}.order_id`)}
        and ${sql.ref(`${ol}.order_product_id`)} = ${sql.ref(`${b}.order_product_id`)}`;

/**
 * Returns the `units` newest allocated, unshipped units of the item to waiting: a line gives back at most its
 * allocated units not shipped. Returns how many lines gave units back.
 */
export async function unallocateNewest(trx: Db, storeHash: string, itemId: number, units: number): Promise<number> {
  if (units <= 0) return 0;
  const result = await sql`
    with unshipped as (
      select b.id, b.order_created_at, b.order_id, b.order_product_id, b.allocated_qty - ${shippedAllocated('b', 'ol')} as allocated_qty
      from backorder_lines b ${orderLineOf('b', 'ol')}
      where b.store_hash = ${storeHash} and b.item_id = ${itemId} and b.status in ('waiting', 'allocated') and b.allocated_qty > 0 and b.shipped_at is null
    ), allocated as (
      select id, allocated_qty,
             sum(allocated_qty) over (order by order_created_at desc, order_id desc, order_product_id desc) as running
      from unshipped
      where allocated_qty > 0
    )
    update backorder_lines b set
      allocated_qty = b.allocated_qty - least(a.allocated_qty, ${units} - (a.running - a.allocated_qty)),
      status = 'waiting',
      updated_at = now()
    from allocated a
    where b.id = a.id and a.running - a.allocated_qty < ${units}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** The units waiting on the item's lines, and its unexplained shortfall (read under the caller's row lock). */
export async function balanceOf(trx: Db, storeHash: string, itemId: number): Promise<{ waiting: number; shortfall: number }> {
  const row = await trx
    .selectFrom('inventory_items as i')
    .select('i.unexplained_shortfall as shortfall')
    .select((eb) =>
      eb
        .selectFrom('backorder_lines as b')
        .select(sql<number>`coalesce(sum(b.backordered_qty - b.allocated_qty), 0)`.as('units'))
        .where('b.store_hash', '=', storeHash)
        .where('b.item_id', '=', itemId)
        .where('b.status', '=', 'waiting')
        .as('waiting'),
    )
    .where('i.store_hash', '=', storeHash)
    .where('i.id', '=', itemId)
    .executeTakeFirstOrThrow();
  return { waiting: Number(row.waiting ?? 0), shortfall: row.shortfall };
}

/**
 * Sets the item's unexplained shortfall to what its waiting lines leave unexplained of the units its stock
 * is below zero, in one statement (under the caller's row lock, once the lines are rebalanced).
 */
export async function settleShortfall(trx: Db, storeHash: string, itemId: number): Promise<void> {
  await sql`
    update inventory_items i set unexplained_shortfall = greatest(0, greatest(0, -i.current_stock) - (
      select coalesce(sum(b.backordered_qty - b.allocated_qty), 0) from backorder_lines b
      where b.store_hash = i.store_hash and b.item_id = i.id and b.status = 'waiting'))
    where i.store_hash = ${storeHash} and i.id = ${itemId}`.execute(trx);
}

/**
 * ETA per waiting line of each of `itemIds`, one statement per chunk: the item's incoming stock covers its
 * waiting units oldest first; a line fully covered gets the back-in-stock date, any other waiting line has
 * no ETA (unknown).
 */
export async function refreshEtas(trx: Db, storeHash: string, itemIds: readonly number[]): Promise<void> {
  for (let i = 0; i < itemIds.length; i += 10_000) {
    await sql`
      with waiting as (
        select b.id, b.item_id,
               sum(b.backordered_qty - b.allocated_qty) over (partition by b.item_id order by b.order_created_at, b.order_id, b.order_product_id) as running
        from backorder_lines b
        where b.store_hash = ${storeHash} and b.item_id = any(${itemIds.slice(i, i + 10_000)}::bigint[]) and b.status = 'waiting'
      ), eta as (
        select w.id, case when i.back_in_stock_date is not null and w.running <= i.incoming_stock then i.back_in_stock_date end as eta
        from waiting w join inventory_items i on i.store_hash = ${storeHash} and i.id = w.item_id
      )
      update backorder_lines b set eta = e.eta, updated_at = now()
      from eta e
      where b.id = e.id and b.eta is distinct from e.eta`.execute(trx);
  }
}

/**
 * Puts right the store's lines an older version left (migration 0104 repaired those of its day; one still
 * running beside the new schema, as an upgrade has it, can leave more): lines of an unassigned product still
 * waiting or allocated, which nothing moves on any more, are released; an ETA on a line that waits for
 * nothing is cleared. Counts of each.
 */
export async function closeLeftOverLines(db: Db, storeHash: string): Promise<{ released: number; etasCleared: number }> {
  const released = await sql`
    update backorder_lines b set status = 'released', eta = null, updated_at = now()
    from inventory_items i
    where b.store_hash = ${storeHash} and i.store_hash = b.store_hash and i.id = b.item_id
      and i.retired_at is not null and b.status in ('waiting', 'allocated')`.execute(db);
  const cleared = await sql`
    update backorder_lines set eta = null, updated_at = now()
    where store_hash = ${storeHash} and eta is not null and status <> 'waiting'`.execute(db);
  return { released: Number(released.numAffectedRows ?? 0), etasCleared: Number(cleared.numAffectedRows ?? 0) };
}
