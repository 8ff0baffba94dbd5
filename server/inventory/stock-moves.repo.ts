/**
 * Stock moving, in SQL: one statement per chunk of up to 10,000 changes works out each change's delta from
 * its item's row, moves the stock, writes the ledger rows and the plans that come with the moves — for an
 * order's one line as for an import's 100,000 rows.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { MovementReason } from '../db/schema.ts';
import { MANY } from '../db/prepared-statements.ts';
import { anyOf, arrayOf, unnestRows } from '../db/unnest.ts';
import { chunks, type ItemPlan } from './inventory.repo.ts';
import { orderLineOf, shippedAllocated } from '../backorders/backorders.repo.ts';

/**
 * How a change moves current stock: `by` units; `to` a count (the difference is worked out in SQL);
 * `level`: BigCommerce's level read as a counter — stock moves by what the level moved since it was last
 * read, and the level is recorded (the first read only records it); `ledger`: back to what the ledger says
 * (starting stock + movements), writing no movement, since the ledger already explains that number.
 */
export type StockMove = { by: number } | { to: number } | { level: number } | { ledger: true };

export interface StockMoveInput {
  /** The change's position in its request: several changes to one item apply in this order. */
  index: number;
  itemId: number;
  move: StockMove;
  /** Unique per store: a change whose key is already in the ledger moves nothing. Null: `<request key>:<item id>`. */
  key: string | null;
  orderId: number | null;
  /** Null: the request's note. */
  note: string | null;
  /**
   * An order's move: its line's place in the order lines are served in (the order's date, then its id and the
   * line's). A take beyond stock then tells whether a newer order's line holds allocated units (`moveStock`'s `byAge`).
   */
  line?: { orderCreatedAt: Date; orderProductId: number };
  /**
   * The change's plan (threshold, incoming stock, date), written with its move: the item's row is written
   * once, not twice. Unless its item has several changes; see `moveStock`'s `planned`.
   */
  plan?: ItemPlan;
}

/** What every move of one request shares: its reason, its key (each move's unless it has its own), its note. */
export interface MoveRequest {
  reason: MovementReason;
  key: string;
  note: string | null;
}

/** What one change did: stock before and after it. */
export interface Moved {
  index: number;
  itemId: number;
  before: number;
  after: number;
}

/** The kinds of move as the statement reads them. */
const BY = 0;
const TO = 1;
const LEVEL = 2;
const LEDGER = 3;

function kindOf(move: StockMove): [kind: number, units: number | null] {
  if ('by' in move) return [BY, move.by];
  if ('to' in move) return [TO, move.to];
  if ('level' in move) return [LEVEL, move.level];
  return [LEDGER, null];
}

/** One chunk of moves, column by column, as `unnest` takes them. */
interface MoveColumns {
  index: number[];
  itemId: number[];
  kind: number[];
  units: Array<number | null>;
  prior: number[];
  last: boolean[];
  key: Array<string | null>;
  orderId: Array<number | null>;
  note: Array<string | null>;
  orderCreatedAt: Array<Date | null>;
  orderProductId: Array<number | null>;
  setThreshold: boolean[];
  threshold: Array<number | null>;
  setIncoming: boolean[];
  incoming: Array<number | null>;
  setDate: boolean[];
  date: Array<string | null>;
}

/**
 * The moves as columns, chunked, leaving out moves of no units. `prior`: the units the item's earlier
 * changes moved (an order's several lines); `last`: the item's last change, whose stock after is its stock.
 */
function columnsOf(inputs: readonly StockMoveInput[]): { chunks: MoveColumns[]; repeated: Map<number, number>; planned: number[] } {
  const moving = inputs.filter((input) => !('by' in input.move && input.move.by === 0));
  const count = new Map<number, number>();
  for (const { itemId } of moving) count.set(itemId, (count.get(itemId) ?? 0) + 1);
  const repeated = new Map([...count].filter(([, n]) => n > 1));
  const prior = new Map<number, number>();
  const out: MoveColumns[] = [];
  const planned: number[] = [];
  for (const slice of chunks(moving)) {
    const columns = emptyColumns();
    for (const input of slice) {
      const [kind, units] = kindOf(input.move);
      const before = repeated.has(input.itemId) ? (prior.get(input.itemId) ?? 0) : 0;
      if (repeated.has(input.itemId)) prior.set(input.itemId, before + (units ?? 0));
      columns.index.push(input.index);
      columns.itemId.push(input.itemId);
      columns.kind.push(kind);
      columns.units.push(units);
      columns.prior.push(before);
      columns.key.push(input.key);
      columns.orderId.push(input.orderId);
      columns.note.push(input.note);
      columns.orderCreatedAt.push(input.line?.orderCreatedAt ?? null);
      columns.orderProductId.push(input.line?.orderProductId ?? null);
      columns.last.push(true);
      // An item's row is written once per statement: its plan goes with its only change, never with one of several.
      const plan = repeated.has(input.itemId) ? undefined : input.plan;
      if (plan) planned.push(input.itemId);
      columns.setThreshold.push(plan?.backorderThreshold !== undefined);
      columns.threshold.push(plan?.backorderThreshold ?? null);
      columns.setIncoming.push(plan?.incomingStock !== undefined);
      columns.incoming.push(plan?.incomingStock ?? null);
      columns.setDate.push(plan?.backInStockDate !== undefined);
      columns.date.push(plan?.backInStockDate ?? null);
    }
    out.push(columns);
  }
  // An item's changes all come before its last: mark the others.
  const seen = new Set<number>();
  for (let c = out.length - 1; c >= 0; c--) {
    const columns = out[c]!;
    for (let i = columns.itemId.length - 1; i >= 0; i--) {
      const itemId = columns.itemId[i]!;
      if (!repeated.has(itemId)) continue;
      columns.last[i] = !seen.has(itemId);
      seen.add(itemId);
    }
  }
  return { chunks: out, repeated, planned };
}

/** The column names and SQL types of a chunk of moves, as the statement reads them. */
type Column = [keyof MoveColumns, string, string];
const MOVE_COLUMNS: readonly Column[] = [
  ['index', 'seq', 'int'],
  ['itemId', 'item_id', 'bigint'],
  ['kind', 'kind', 'smallint'],
  ['units', 'units', 'int'],
  ['prior', 'prior', 'int'],
  ['last', 'last', 'boolean'],
  ['key', 'key', 'text'],
  ['orderId', 'order_id', 'bigint'],
  ['note', 'note', 'text'],
  ['orderCreatedAt', 'order_created_at', 'timestamptz'],
  ['orderProductId', 'order_product_id', 'int'],
];
const PLAN_COLUMNS: readonly Column[] = [
  ['setThreshold', 'set_threshold', 'boolean'],
  ['threshold', 'threshold', 'int'],
  ['setIncoming', 'set_incoming', 'boolean'],
  ['incoming', 'incoming', 'int'],
  ['setDate', 'set_date', 'boolean'],
  ['date', 'bis_date', 'date'],
];

/** A chunk with no moves yet. */
function emptyColumns(): MoveColumns {
  return Object.fromEntries([...MOVE_COLUMNS, ...PLAN_COLUMNS].map(([field]) => [field, []])) as unknown as MoveColumns;
}

/**
 * The chunk as rows: `unnest` of its columns, each an array — or, in a bulk chunk, where every row has the
 * same value (an import's one kind of move, no key or note of a change's own), that one value: an array
 * costs a conversion per element on both ends. A chunk small enough to be prepared keeps every column an
 * array, hidden from the planner (`arrayOf`): a value it could see, the kind of move above all, would make
 * each run's plan cheaper than the prepared one (the ledger's sum drops out), and it would plan every run.
 */
function rowsOf(c: MoveColumns, columns: readonly Column[]) {
  const bulk = c.index.length > MANY;
  const varying = columns.filter(([field], i) => !bulk || i === 0 || c[field].some((v) => v !== c[field][0]));
  const same = columns.filter((column) => !varying.includes(column));
  const arrays = sql.join(varying.map(([field, , type]) => arrayOf(c[field], type)));
  const names = sql.raw(varying.map(([, name]) => name).join(', '));
  const constants = same.map(([field, name, type]) => sql`, ${c[field][0]}::${sql.raw(type)} as ${sql.raw(name)}`);
  return sql`select t.*${sql.join(constants, sql``)} from unnest(${arrays}) as t(${names})`;
}

/** A retry's key meets the ledger's unique key. */
function isRetry(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'stock_movements_store_hash_idempotency_key_key';
}

/** Chunks this small take the careful statement at once: matching their keys costs next to nothing. */
const SMALL = 100;

/**
 * Moves current stock on locked items, one statement per chunk: each change's delta is worked out from the
 * row (a `to`, a `level`, a `ledger`), stock moves to what the item's last change leaves, and every move
 * but a restore from the ledger writes its ledger row, with the stock after it. A change of no units moves
 * nothing; neither does one whose key the ledger already holds (a retry). The plans of the changes go in
 * with them, moved or not; then the levels read are recorded. Returns the changes that moved stock, and the
 * items whose plans went in (`planned`): the others' are for `setPlans` (changes that move no stock, and
 * an item's several changes); and the items where an order line took units beyond stock while a newer order's
 * line holds allocated units (`byAge`: their allocated units are to be dealt again, oldest lines first).
 *
 * Several changes to one item (two lines of an order) must all be `by` moves, and new: each applies after
 * the ones before it, so none may be a retry — an order's keys carry each line's version, so they never are.
 *
 * `alongside`: common table expressions of the caller's own, run in the same statement (an order's lines
 * recording what they hold: one round trip, not two) — once, also when nothing moves; the moves must then
 * fit one chunk.
 */
export async function moveStock(
  trx: Db,
  storeHash: string,
  inputs: readonly StockMoveInput[],
  request: MoveRequest,
  alongside?: RawBuilder<unknown>,
): Promise<{ moved: Moved[]; planned: number[]; byAge: number[] }> {
  const { chunks: columns, repeated, planned } = columnsOf(inputs);
  if (alongside && columns.length > 1) throw new Error(`moveStock: statements alongside ${inputs.length} moves, more than one chunk`);
  if (alongside && columns.length === 0) await sql`with ${alongside} select 1`.execute(trx);
  const moved: Moved[] = [];
  const byAge = new Set<number>();
  for (const c of columns) {
    let rows: Array<Moved & { newerAllocated: boolean }>;
    if (c.index.length <= SMALL) rows = await moveChunk(trx, storeHash, c, request, true, alongside);
    else {
      // A retry is rare (a form posted twice, an import run again): a large chunk first goes in as if none
      // were one, which spares matching 10,000 keys, and again carefully when the ledger's key refuses it.
      await sql`savepoint move_stock`.execute(trx);
      try {
        rows = await moveChunk(trx, storeHash, c, request, false, alongside);
        await sql`release savepoint move_stock`.execute(trx);
      } catch (error) {
        if (!isRetry(error)) throw error;
        await sql`rollback to savepoint move_stock`.execute(trx);
        rows = await moveChunk(trx, storeHash, c, request, true, alongside);
      }
    }
    for (const { newerAllocated, ...move } of rows) {
      moved.push(move);
      if (newerAllocated) byAge.add(move.itemId);
    }
  }
  for (const [itemId, count] of repeated) {
    if (moved.filter((m) => m.itemId === itemId).length !== count)
      throw new Error(`item ${itemId}: of its ${count} changes, some were retries: none was applied`);
  }
  const levels = inputs.filter((input) => 'level' in input.move);
  for (const slice of chunks(levels)) {
    await sql`
      update inventory_items i set bigcommerce_level = t.level, level_seq = i.level_seq + 1, updated_at = now()
      from ${unnestRows(slice, { id: ['bigint', (s) => s.itemId], level: ['int', (s) => ('level' in s.move ? s.move.level : null)] })}
      where i.store_hash = ${storeHash} and i.id = t.id and i.bigcommerce_level is distinct from t.level`.execute(trx);
  }
  return { moved, planned, byAge: [...byAge] };
}

/**
 * One chunk's statement. `careful`: a change whose key the ledger already holds is skipped (its row does
 * not go in, and stock does not move for it); otherwise such a key fails the statement.
 */
async function moveChunk(
  trx: Db,
  storeHash: string,
  c: MoveColumns,
  request: MoveRequest,
  careful: boolean,
  alongside?: RawBuilder<unknown>,
): Promise<Array<Moved & { newerAllocated: boolean }>> {
  const withPlans = c.setThreshold.includes(true) || c.setIncoming.includes(true) || c.setDate.includes(true);
  const skipRetries = careful ? sql`on conflict (store_hash, idempotency_key) do nothing returning idempotency_key` : sql``;
  const applied = careful ? sql`kind = ${LEDGER} or key in (select idempotency_key from ledger)` : sql`true`;
  const { rows } = await sql<{ index: number; itemId: string; before: number; after: number; newerAllocated: boolean }>`
    with input as (
      ${rowsOf(c, withPlans ? [...MOVE_COLUMNS, ...PLAN_COLUMNS] : MOVE_COLUMNS)}
    ), steps as (
      select t.seq, t.item_id, t.kind, t.last, t.order_id, t.order_created_at, t.order_product_id, t.note, d.delta,
             i.current_stock + t.prior + d.delta as after,
             coalesce(t.key, ${request.key}::text || ':' || t.item_id) as key
      from input t
      -- The ids again as an index condition: joined on t alone, PostgreSQL may read the items from the
      -- first id up to the chunk's last, every chunk (a merge join), where it should look up the chunk's.
      join inventory_items i on i.store_hash = ${storeHash} and i.id = t.item_id and i.id = ${anyOf(c.itemId, 'bigint')}
      cross join lateral (select case t.kind
          when ${BY} then t.units
          when ${TO} then t.units - i.current_stock
          when ${LEVEL} then t.units - i.bigcommerce_level
          when ${LEDGER} then i.starting_stock - i.current_stock
            + (select coalesce(sum(m.delta), 0) from stock_movements m where m.store_hash = i.store_hash and m.item_id = i.id)
        end as delta) d
      where d.delta <> 0
    ), ledger as (
      insert into stock_movements (store_hash, item_id, delta, stock_after, reason, idempotency_key, order_id, note)
      select ${storeHash}, item_id, delta, after, ${request.reason}, key, order_id, coalesce(note, ${request.note}::text)
      from steps where kind <> ${LEDGER}
      ${skipRetries}
    ), applied as (
      select * from steps where ${applied}
    ), items as (
      ${withPlans ? itemsWithPlans(storeHash, c) : itemsMoved(storeHash)}
    )${alongside ? sql`, ${alongside}` : sql``}
    select seq as "index", item_id as "itemId", after - delta as before, after, ${newerAllocated(storeHash)} as "newerAllocated"
    from applied a order by seq`.execute(trx);
  return rows.map((r) => ({ index: r.index, itemId: Number(r.itemId), before: Number(r.before), after: Number(r.after), newerAllocated: r.newerAllocated }));
}

/**
 * Whether an order line's take beyond stock comes while a line of a newer order holds allocated units it has
 * not shipped (the order's event came late, or it was reinstated, or the line moved onto the item): it is owed
 * them first. The statement runs under the item's lock, so it sees every change to the item's lines committed
 * before it; it reads the open lines' index from the line's place on, newer lines alone (on an ordinary order,
 * the newest, next to none), and only for a take beyond stock.
 */
const newerAllocated = (storeHash: string) => sql`case when a.order_created_at is not null and a.delta < 0 and a.after < 0 then exists (
      select 1 from backorder_lines b ${orderLineOf('b', 'ol')}
      where b.item_id = a.item_id and b.status in ('waiting', 'allocated') and b.order_created_at >= a.order_created_at
        and (b.order_created_at, b.order_id, b.order_product_id) > (a.order_created_at, a.order_id, a.order_product_id)
        and b.store_hash = ${storeHash} and b.allocated_qty > ${shippedAllocated('b', 'ol')} and b.shipped_at is null) else false end`;

/** The move's write of its items: each item's stock after its last change. */
function itemsMoved(storeHash: string) {
  return sql`
      update inventory_items i set current_stock = a.after, updated_at = now()
      from applied a where a.last and i.store_hash = ${storeHash} and i.id = a.item_id`;
}

/**
 * The same with the chunk's plans: each item once, with its stock after its last change (when that
 * applied) and its change's plan where it differs.
 */
function itemsWithPlans(storeHash: string, c: MoveColumns) {
  return sql`
      update inventory_items i set
        current_stock = coalesce(x.after, i.current_stock),
        backorder_threshold = case when x.set_threshold then x.threshold else i.backorder_threshold end,
        incoming_stock = case when x.set_incoming then x.incoming else i.incoming_stock end,
        back_in_stock_date = case when x.set_date then x.bis_date else i.back_in_stock_date end,
        updated_at = now()
      from (select t.item_id, a.after, t.set_threshold, t.threshold, t.set_incoming, t.incoming, t.set_date, t.bis_date
            from input t left join applied a on a.seq = t.seq where t.last) x
      where i.store_hash = ${storeHash} and i.id = x.item_id and i.id = ${anyOf(c.itemId, 'bigint')}
        and (x.after is not null
             or (x.set_threshold and x.threshold is distinct from i.backorder_threshold)
             or (x.set_incoming and x.incoming is distinct from i.incoming_stock)
             or (x.set_date and x.bis_date is distinct from i.back_in_stock_date))`;
}
