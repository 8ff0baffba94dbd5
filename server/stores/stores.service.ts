/**
 * A store's life in the app: installed (token encrypted, owner and installer recorded), opened by its
 * users, uninstalled (disabled, token erased, purge scheduled). The decrypted token leaves this module
 * only through `accessTokenFor`, on its way into the BigCommerce client.
 */
import { StoreNotConnectedError, type BigCommerceUser } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import type { Store, StoreUser } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { stopRenewal } from '../plans/plans.repo.ts';
import type { KeySource } from '../keyring.ts';
import { findStore, findUser, markUninstalled, markUserRemoved, replaceTokenCiphertext, upsertInstalledStore, upsertUser } from './stores.repo.ts';
import { decryptToken, encryptToken, needsReencryption } from './token-cipher.ts';

const DAY_MS = 24 * 3600 * 1000;

/** The store hash in `stores/{hash}`; a bad_request naming the context otherwise. */
export function storeHashOf(context: string): string {
  const storeHash = /^stores\/([a-z0-9]{1,32})$/.exec(context)?.[1];
  if (!storeHash) throw new AppError('bad_request', `The context "${context.slice(0, 60)}" does not name a store (expected stores/{store_hash}).`);
  return storeHash;
}

export interface Installation {
  storeHash: string;
  accessToken: string;
  scope: string;
  user: BigCommerceUser;
  owner: BigCommerceUser;
  accountUuid?: string;
}

/** Saves the store with its token encrypted, its owner and the installing user, in one transaction. */
export async function saveInstallation(
  db: Db,
  encryptionKey: KeySource | undefined,
  installation: Installation,
): Promise<{ store: Store; installer: StoreUser }> {
  const ciphertext = encryptToken(encryptionKey, installation.storeHash, installation.accessToken);
  return db.transaction().execute(async (trx) => {
    const store = await upsertInstalledStore(trx, {
      storeHash: installation.storeHash,
      accessTokenCiphertext: ciphertext,
      scope: installation.scope,
      ownerUserId: installation.owner.id,
      ownerEmail: installation.owner.email,
      accountUuid: installation.accountUuid ?? null,
    });
    const people = installation.user.id === installation.owner.id ? [installation.owner] : [installation.owner, installation.user];
    let installer: StoreUser | undefined;
    for (const person of people) {
      const saved = await upsertUser(trx, {
        storeHash: installation.storeHash,
        userId: person.id,
        email: person.email,
        username: person.username ?? person.email,
        locale: person.locale ?? null,
        isOwner: person.id === installation.owner.id,
        seen: person.id === installation.user.id,
      });
      if (person.id === installation.user.id) installer = saved;
    }
    return { store, installer: installer! };
  });
}

/** The store, when it is installed now; StoreNotConnectedError (saying which) otherwise. */
export async function requireActiveStore(db: Db, storeHash: string): Promise<Store> {
  const store = await findStore(db, storeHash);
  if (!store) throw new StoreNotConnectedError(storeHash, 'not-installed');
  if (store.status !== 'active') throw new StoreNotConnectedError(storeHash, 'uninstalled');
  return store;
}

/**
 * The store's decrypted access token, for the BigCommerce gateway only: never log it or put it in job
 * data. StoreNotConnectedError when the store is not installed (an uninstall erases the token).
 */
export async function accessTokenFor(db: Db, keys: KeySource | undefined, storeHash: string): Promise<string> {
  const store = await requireActiveStore(db, storeHash);
  if (!store.access_token_ciphertext) throw new StoreNotConnectedError(storeHash, 'uninstalled');
  return decryptToken(keys, storeHash, store.access_token_ciphertext);
}

/**
 * Rewrites the store's token under the current ENCRYPTION_KEY when it was written under another (before
 * keys were derived per purpose, or before a rotation); true when it did. A token replaced meanwhile (a
 * reinstall) is left as it is.
 */
export async function reencryptToken(db: Db, keys: KeySource, storeHash: string): Promise<boolean> {
  const stored = (await findStore(db, storeHash))?.access_token_ciphertext;
  if (!stored || !needsReencryption(keys, stored)) return false;
  return replaceTokenCiphertext(db, storeHash, stored, encryptToken(keys, storeHash, decryptToken(keys, storeHash, stored)));
}

/**
 * A user opened the app with a payload BigCommerce issued at `issuedAt`: known users are refreshed, unknown
 * users of an installed store are added. A removed user comes back only with a payload issued after the
 * removal (the owner granted access again); an older one — a /load link kept in the browser — is refused.
 */
export async function recordVisit(
  db: Db,
  storeHash: string,
  user: BigCommerceUser,
  owner: BigCommerceUser,
  issuedAt: number,
): Promise<{ store: Store; user: StoreUser; added: boolean }> {
  const store = await requireActiveStore(db, storeHash);
  const known = await findUser(db, storeHash, user.id);
  if (known?.removed_at && known.removed_payload_iat !== null && issuedAt <= known.removed_payload_iat) {
    throw new AppError('unauthorized', 'Your access to BackOrder was removed by the store owner. Ask the owner to give it back, then open BackOrder again.');
  }
  const saved = await upsertUser(db, {
    storeHash,
    userId: user.id,
    email: user.email,
    ...(user.locale !== undefined ? { locale: user.locale } : {}),
    isOwner: user.id === owner.id,
    seen: true,
  });
  return { store, user: saved, added: known === undefined || known.removed_at !== null };
}

/**
 * The store owner revoked a user's access, as BigCommerce said in a payload issued at `issuedAt`: every
 * payload of that user issued until then is refused, and their sessions end. False for an unknown store.
 */
export async function removeUser(db: Db, storeHash: string, user: BigCommerceUser, issuedAt: number): Promise<boolean> {
  if (!(await findStore(db, storeHash))) return false;
  await markUserRemoved(db, storeHash, user, issuedAt);
  return true;
}

/**
 * The app was uninstalled: the store is disabled and its token erased at once; its data stays for
 * `purgeAfterDays` (a reinstall finds it), then the purge job deletes it. A scheduled plan change is
 * dropped: the paid subscription is cancelled instead (app-lifecycle's uninstall.service.ts queues it), and
 * runs out at the end of the cycle already paid for. Repeating it changes nothing.
 */
export async function uninstallStore(db: Db, storeHash: string, purgeAfterDays: number, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await markUninstalled(trx, storeHash, now, new Date(now.getTime() + purgeAfterDays * DAY_MS));
    if (changed) await stopRenewal(trx, storeHash);
    return changed;
  });
}
