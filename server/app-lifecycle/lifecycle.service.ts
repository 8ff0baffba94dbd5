/**
 * BigCommerce's app callbacks, as the merchant lives them: install (/auth: the code becomes an encrypted
 * token, the owner and installer are recorded, the setup runs in the background), open (/load: a verified
 * signed payload opens the admin; a new user of an installed store is added), uninstall (/uninstall, once
 * BigCommerce confirms it, see uninstall.service.ts) and remove user (/remove_user).
 *
 * The three signed callbacks take the same kind of payload, so each payload works once (its jti is
 * recorded until it expires): a /load link left in a browser's history opens nothing, and cannot be
 * replayed to /uninstall or /remove_user.
 */
import type { Queue } from 'bullmq';
import type { Config } from '../config.ts';
import type { BigCommerceGateway, BigCommerceUser } from '../bigcommerce/index.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { StockEffects } from '../inventory/stock-effects.ts';
import { queueStoreJob } from '../jobs/jobs.service.ts';
import type { Logger } from '../logger.ts';
import type { SessionOwner } from '../http/admin-session.ts';
import { missingScopes, type RequiredScope } from '../stores/scopes.ts';
import { claimStaleProfile, saveProfile } from '../stores/stores.repo.ts';
import { recordVisit, removeUser, saveInstallation, storeHashOf } from '../stores/stores.service.ts';
import { claimSignedPayload } from './signed-payloads.repo.ts';
import { confirmUninstall, type UninstallOutcome } from './uninstall.service.ts';

export interface LifecycleDeps {
  db: Db;
  config: Config & { appUrl: string };
  gateway: BigCommerceGateway;
  storeJobs: Queue;
  /** Where an uninstall's later work goes (uninstall.service.ts). */
  uninstallJobs: Queue;
  logger: Logger;
  /** An uninstall drops the store's cached storefront answers (they turn empty). */
  effects: StockEffects;
}

/** Who is opening the admin, once a callback is verified: what their session will carry. */
export type Visitor = SessionOwner;

const REJECTIONS: Record<string, string> = {
  'bad-signature': 'The request is forged: its signature does not match this app’s client secret.',
  'wrong-algorithm': 'The request is forged: it is not signed the way BigCommerce signs (HS256).',
  expired: 'The link from BigCommerce has expired. Open BackOrder again from the Apps menu.',
  'not-yet-valid': 'The link from BigCommerce is not valid yet; check the server clock.',
  'wrong-audience': 'The request was issued for another app (wrong audience), not for BackOrder.',
  'wrong-issuer': 'The request was not issued by BigCommerce (wrong issuer).',
  'bad-subject': 'The request does not name a store.',
  malformed: 'The request from BigCommerce is damaged (malformed signed payload).',
};

/**
 * Verifies a callback's `signed_payload_jwt` and uses it up; unauthorized with the reason in words when
 * it is refused or was used before.
 */
export async function verifyCallback(
  deps: { db: Db; gateway: BigCommerceGateway },
  jwt: unknown,
): Promise<{ storeHash: string; user: BigCommerceUser; owner: BigCommerceUser; issuedAt: number; url?: string }> {
  if (typeof jwt !== 'string' || jwt === '') {
    throw new AppError('unauthorized', 'The request carries no signed payload from BigCommerce. Open BackOrder from the Apps menu of your control panel.');
  }
  const check = await deps.gateway.verifySignedPayload(jwt);
  if (!check.ok) throw new AppError('unauthorized', REJECTIONS[check.reason] ?? `The signed payload was refused (${check.reason}).`);
  const first = await claimSignedPayload(deps.db, { jti: check.jti, storeHash: check.storeHash, expiresAt: new Date(check.expiresAt * 1000) });
  if (!first) {
    throw new AppError(
      'unauthorized',
      'This link from BigCommerce was already used; each works once. Open BackOrder again from the Apps menu of your control panel.',
    );
  }
  return { storeHash: check.storeHash, user: check.user, owner: check.owner, issuedAt: check.issuedAt, ...(check.url !== undefined ? { url: check.url } : {}) };
}

export interface InstallQuery {
  code: unknown;
  scope: unknown;
  context: unknown;
}

/** Installs (or reinstalls) the app in a store; the setup job is queued, not awaited. */
export async function install(deps: LifecycleDeps, query: InstallQuery): Promise<Visitor & { jobId: number; missing: RequiredScope[] }> {
  const problems = (['code', 'scope', 'context'] as const)
    .filter((field) => typeof query[field] !== 'string' || query[field] === '')
    .map((field) => ({ field, message: 'is required; BigCommerce sends it when the app is installed' }));
  if (problems.length > 0) throw new AppError('bad_request', 'This is not an install request from BigCommerce.', { problems });
  const callback = { code: query.code as string, scope: query.scope as string, context: query.context as string };
  const storeHash = storeHashOf(callback.context);

  let grant;
  try {
    grant = await deps.gateway.exchangeCode(callback);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'unavailable',
      'BigCommerce did not accept the installation code. Start the installation again from the store’s Apps menu.',
      {},
      { cause: error },
    );
  }
  if (storeHashOf(grant.context) !== storeHash) throw new AppError('bad_request', 'BigCommerce granted access to another store than the one installing.');

  const { store, installer } = await saveInstallation(deps.db, deps.config.encryptionKey, {
    storeHash,
    accessToken: grant.accessToken,
    scope: grant.scope,
    user: grant.user,
    owner: grant.owner,
    ...(grant.accountUuid !== undefined ? { accountUuid: grant.accountUuid } : {}),
  });
  // A reinstall or a re-authorisation brings a new token: no process may keep using the old one.
  await deps.gateway.forgetToken(storeHash);
  const { job } = await queueStoreJob(deps.db, deps.storeJobs, storeHash, 'install', 'Waiting to start');
  deps.logger.info({ storeHash, userId: grant.user.id, jobId: job.id }, 'store installed; setup queued');
  return {
    storeHash,
    userId: grant.user.id,
    installation: store.installation,
    access: installer.access_generation,
    jobId: job.id,
    missing: missingScopes(grant.scope),
  };
}

/** Opens the admin for the user of a verified /load. */
export async function load(deps: LifecycleDeps, jwt: unknown): Promise<Visitor & { userAdded: boolean; url?: string }> {
  const { storeHash, user, owner, issuedAt, url } = await verifyCallback(deps, jwt);
  const visit = await recordVisit(deps.db, storeHash, user, owner, issuedAt);
  if (visit.added) deps.logger.info({ storeHash, userId: user.id }, 'new user of an installed store added');
  return {
    storeHash,
    userId: user.id,
    installation: visit.store.installation,
    access: visit.user.access_generation,
    userAdded: visit.added,
    ...(url !== undefined ? { url } : {}),
  };
}

/**
 * How old the store's profile may be when the app is opened before it is read again: a time zone changed in
 * BigCommerce (no webhook tells of it) then reaches the app's "today" within the hour the merchant next
 * opens the app, rather than at the nightly reconcile. At most one profile read an hour per store.
 */
export const PROFILE_FRESH_MS = 60 * 60 * 1000;

/**
 * After /load has answered, so the admin's first page waits on no BigCommerce call: the store's profile
 * (/v2/store) read again when older than PROFILE_FRESH_MS. Never throws: a failed read is logged, and the
 * nightly reconcile reads it anyway.
 */
export async function refreshProfileAfterLoad(deps: Pick<LifecycleDeps, 'db' | 'gateway' | 'logger'>, storeHash: string): Promise<boolean> {
  try {
    if (!(await claimStaleProfile(deps.db, storeHash, PROFILE_FRESH_MS))) return false;
    const connection = await deps.gateway.connect(storeHash);
    await saveProfile(deps.db, storeHash, await connection.storeProfile());
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, storeHash }, 'store profile not read again after /load');
    return false;
  }
}

/** /uninstall: verified and used up, then uninstalled once BigCommerce confirms it (uninstall.service.ts). */
export async function uninstallCallback(deps: LifecycleDeps, jwt: unknown): Promise<{ storeHash: string; outcome: UninstallOutcome }> {
  const { storeHash, user } = await verifyCallback(deps, jwt);
  deps.logger.info({ storeHash, userId: user.id }, '/uninstall called');
  return { storeHash, outcome: await confirmUninstall(deps, storeHash, 0) };
}

/**
 * /remove_user: the owner revoked a user's access. Their sessions stop working at once, and every payload
 * issued to them until now is refused (a /load link they kept opens nothing); a later grant works again.
 */
export async function removeUserCallback(deps: LifecycleDeps, jwt: unknown): Promise<{ storeHash: string; removed: boolean }> {
  const { storeHash, user, owner, issuedAt } = await verifyCallback(deps, jwt);
  // The owner is never removed: BigCommerce sends remove_user only for other users.
  if (user.id === owner.id) return { storeHash, removed: false };
  return { storeHash, removed: await removeUser(deps.db, storeHash, user, issuedAt) };
}
