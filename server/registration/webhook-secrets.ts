/**
 * Which secret a store's hooks carry. Registration writes the secret of the current ENCRYPTION_KEY into
 * every hook's headers, then records that key's id on the store. A delivery whose header is not the
 * current secret is still accepted with the secret the store's hooks were last registered with — the
 * legacy one (made under ENCRYPTION_KEY itself, before keys were derived per purpose) when nothing is
 * recorded, or the previous key's during a rotation — and with nothing else: once reconcile has
 * registered the hooks again, the old secret opens nothing.
 */
import { legacyWebhookSecretFor, webhookSecretFor, webhookSecretKeyId } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { readableKeys, type Keyring } from '../keyring.ts';

/** Records that the store's hooks now carry the secret of the key `secretKeyId` names (call after they were registered). */
export async function recordWebhookSecretId(db: Db, storeHash: string, secretKeyId: string): Promise<void> {
  await db.updateTable('stores').set({ webhook_secret_key_id: secretKeyId }).where('store_hash', '=', storeHash).execute();
}

/** The secrets, other than the current one, that the store's hooks may still carry. */
export async function olderWebhookSecrets(db: Db, keyring: Keyring, storeHash: string): Promise<string[]> {
  const store = await db.selectFrom('stores').select('webhook_secret_key_id').where('store_hash', '=', storeHash).executeTakeFirst();
  if (!store) return [];
  const recorded = store.webhook_secret_key_id;
  if (recorded === null) return readableKeys(keyring).map((key) => legacyWebhookSecretFor(storeHash, key));
  const previous = keyring.previous;
  return previous && recorded === webhookSecretKeyId(previous) ? [webhookSecretFor(storeHash, previous)] : [];
}
