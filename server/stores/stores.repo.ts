/** Rows of `stores` and `store_users`. Tokens arrive here already encrypted. */
import { sql, type RawBuilder } from 'kysely';
import type { InventoryBehaviour, StoreProfile } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { Store, StoreUser } from '../db/schema.ts';

export interface InstalledStore {
  storeHash: string;
  accessTokenCiphertext: string;
  scope: string;
  ownerUserId: number;
  ownerEmail: string;
  accountUuid: string | null;
}

/**
 * Creates the store, or brings an uninstalled one back: active, new token, no purge pending. Coming back
 * from an uninstall starts the next installation, so no session of the previous one opens the admin.
 */
export async function upsertInstalledStore(trx: Db, store: InstalledStore): Promise<Store> {
  const values = {
    status: 'active' as const,
    access_token_ciphertext: store.accessTokenCiphertext,
    scope: store.scope,
    owner_user_id: store.ownerUserId,
    owner_email: store.ownerEmail,
    account_uuid: store.accountUuid,
  };
  return trx
    .insertInto('stores')
    .values({ store_hash: store.storeHash, ...values })
    .onConflict((oc) =>
      oc.column('store_hash').doUpdateSet({
        ...values,
        installed_at: sql`now()`,
        installation: sql<number>`case when stores.status = 'active' then stores.installation else stores.installation + 1 end`,
        uninstalled_at: null,
        purge_after: null,
        updated_at: sql`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The store's date now (SQL `date`) in its time zone, UTC when it has none, from the `timezone` column given. */
export function storeToday(timezone: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(now() at time zone coalesce(nullif(${timezone}, ''), 'UTC'))::date`;
}

/** The moment (SQL `timestamptz`) the store's day ends, in its time zone, from the `timezone` column given. */
export function storeDayEnd(timezone: RawBuilder<unknown>): RawBuilder<Date> {
  return sql<Date>`((${storeToday(timezone)} + 1)::timestamp at time zone coalesce(nullif(${timezone}, ''), 'UTC'))`;
}

/** The date now (SQL `date`) in the time zone of the store named, for a statement about another table. */
export function todayOfStore(storeHash: string): RawBuilder<string> {
  return storeToday(sql`(select timezone from stores where store_hash = ${storeHash})`);
}

/** Today as YYYY-MM-DD in the store's time zone: the day back-in-stock dates are measured from. */
export async function todayInStore(db: Db, storeHash: string): Promise<string> {
  const { rows } = await sql<{ today: string }>`select ${todayOfStore(storeHash)} as today`.execute(db);
  return rows[0]!.today;
}

/** Replaces the token's ciphertext if it is still `was`; false when it changed meanwhile. */
export async function replaceTokenCiphertext(db: Db, storeHash: string, was: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('stores')
    .set({ access_token_ciphertext: now, updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('access_token_ciphertext', '=', was)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function findStore(db: Db, storeHash: string): Promise<Store | undefined> {
  return db.selectFrom('stores').selectAll().where('store_hash', '=', storeHash).executeTakeFirst();
}

/** Saves what /v2/store says about the store; returns the time zone saved (see `StoreProfile.fixedTimezone`). */
export async function saveProfile(db: Db, storeHash: string, profile: StoreProfile): Promise<string> {
  const saved = await db
    .updateTable('stores')
    .set({
      store_id: profile.storeId,
      name: profile.name,
      domain: profile.domain,
      secure_url: profile.secureUrl,
      control_panel_url: profile.controlPanelUrl,
      // Every statement that reads a store's day would fail on a name PostgreSQL does not know (its time zone
      // data older than Node's), the incoming-stock job's for every store at once: the fixed offset stands in.
      timezone: sql<string>`case when exists (select 1 from pg_timezone_names where name = ${profile.timezone}) then ${profile.timezone}
        else ${profile.fixedTimezone} end`,
      stock_level_display: profile.stockLevelDisplay,
      ...inventoryColumns(profile.inventory),
      profile_read_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('store_hash', '=', storeHash)
    .returning('timezone')
    .executeTakeFirst();
  return saved?.timezone ?? profile.timezone;
}

/**
 * Claims the re-reading of an active store's profile when it was last read `olderThanMs` ago or never: true
 * for one caller at a time (two tabs opened at once read it once). The claim moves `profile_read_at` to now,
 * so a read that then fails waits for the next claim or the nightly reconcile.
 */
export async function claimStaleProfile(db: Db, storeHash: string, olderThanMs: number): Promise<boolean> {
  const claimed = await db
    .updateTable('stores')
    .set({ profile_read_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('profile_read_at', 'is', null), eb('profile_read_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) > 0;
}

/** Saves what /v3/settings/inventory says (read apart from the rest of the profile: strict limit mode depends on it). */
export async function saveInventoryBehaviour(db: Db, storeHash: string, inventory: InventoryBehaviour): Promise<void> {
  await db
    .updateTable('stores')
    .set({ ...inventoryColumns(inventory), updated_at: sql`now()` })
    .where('store_hash', '=', storeHash)
    .execute();
}

function inventoryColumns(inventory: InventoryBehaviour) {
  return {
    orders_move_level_when_placed: inventory.ordersMoveLevelWhenPlaced,
    cancels_return_units: inventory.cancelsReturnUnits,
    edits_move_level: inventory.editsMoveLevel,
    native_backorders: inventory.nativeBackorders,
  };
}

/** The inventory behaviour the store's row last recorded. */
export function inventoryBehaviourOfStore(store: Store): InventoryBehaviour {
  return {
    ordersMoveLevelWhenPlaced: store.orders_move_level_when_placed,
    cancelsReturnUnits: store.cancels_return_units,
    editsMoveLevel: store.edits_move_level,
    nativeBackorders: store.native_backorders,
  };
}

export interface UserRecord {
  storeHash: string;
  userId: number;
  email: string;
  username?: string;
  locale?: string | null;
  isOwner: boolean;
  seen: boolean;
}

/** Adds the user or refreshes what BigCommerce said about them; a user seen again (a newer grant) is no longer removed. */
export async function upsertUser(trx: Db, user: UserRecord): Promise<StoreUser> {
  const values = {
    email: user.email,
    ...(user.username !== undefined ? { username: user.username } : {}),
    ...(user.locale !== undefined ? { locale: user.locale } : {}),
    is_owner: user.isOwner,
    ...(user.seen ? { last_seen_at: sql<Date>`now()`, removed_at: null } : {}),
  };
  return trx
    .insertInto('store_users')
    .values({ store_hash: user.storeHash, user_id: user.userId, ...values })
    .onConflict((oc) => oc.columns(['store_hash', 'user_id']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUser(db: Db, storeHash: string, userId: number): Promise<StoreUser | undefined> {
  return db.selectFrom('store_users').selectAll().where('store_hash', '=', storeHash).where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Marks the user removed as of BigCommerce's `issuedAt` (the later of two removals wins) and moves their
 * access generation on, which ends their sessions. A user who never opened the app gets a removed row too.
 */
export async function markUserRemoved(db: Db, storeHash: string, user: { id: number; email: string }, issuedAt: number): Promise<void> {
  await db
    .insertInto('store_users')
    .values({ store_hash: storeHash, user_id: user.id, email: user.email, removed_at: sql<Date>`now()`, removed_payload_iat: issuedAt, access_generation: 2 })
    .onConflict((oc) =>
      oc.columns(['store_hash', 'user_id']).doUpdateSet({
        removed_at: sql<Date>`now()`,
        removed_payload_iat: sql<number>`greatest(coalesce(store_users.removed_payload_iat, 0), excluded.removed_payload_iat)`,
        access_generation: sql<number>`store_users.access_generation + 1`,
      }),
    )
    .execute();
}

/** Disables the store and erases its token; false when it was not installed. */
export async function markUninstalled(db: Db, storeHash: string, now: Date, purgeAfter: Date): Promise<boolean> {
  const result = await db
    .updateTable('stores')
    .set({ status: 'uninstalled', access_token_ciphertext: null, uninstalled_at: now, purge_after: purgeAfter, updated_at: now })
    .where('store_hash', '=', storeHash)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Uninstalled stores whose retention has run out. */
export async function findDueForPurge(db: Db, now: Date, limit = 100): Promise<string[]> {
  const rows = await db
    .selectFrom('stores')
    .select('store_hash')
    .where('status', '=', 'uninstalled')
    .where('purge_after', '<=', now)
    .orderBy('purge_after')
    .limit(limit)
    .execute();
  return rows.map((row) => row.store_hash);
}
