/**
 * Row types of every table, for Kysely. One interface per table, named after it; each later migration
 * adds its tables here.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface StoresTable {
  store_hash: string;
  status: Generated<'active' | 'uninstalled'>;
  access_token_ciphertext: string | null;
  scope: Generated<string>;
  owner_user_id: number | null;
  owner_email: string | null;
  installed_at: DefaultTimestamp;
  uninstalled_at: Timestamp | null;
  purge_after: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface StoreUsersTable {
  store_hash: string;
  user_id: number;
  email: string;
  locale: string | null;
  is_owner: Generated<boolean>;
  created_at: DefaultTimestamp;
  last_seen_at: Timestamp | null;
}

export interface StoreSettingsTable {
  store_hash: string;
  overrides: ColumnType<Record<string, unknown>, string | undefined, string>;
  updated_at: DefaultTimestamp;
}

export type WebhookEventStatus = 'received' | 'processed' | 'failed' | 'ignored';

export interface WebhookEventsTable {
  id: Generated<number>;
  store_hash: string;
  scope: string;
  hash: string;
  event_created_at: number;
  payload: ColumnType<unknown, string, string>;
  status: Generated<WebhookEventStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  received_at: DefaultTimestamp;
  processed_at: Timestamp | null;
}

export interface DB {
  stores: StoresTable;
  store_users: StoreUsersTable;
  store_settings: StoreSettingsTable;
  webhook_events: WebhookEventsTable;
}

export type Store = Selectable<StoresTable>;
export type NewStore = Insertable<StoresTable>;
export type StoreUpdate = Updateable<StoresTable>;
export type StoreUser = Selectable<StoreUsersTable>;
export type WebhookEvent = Selectable<WebhookEventsTable>;
