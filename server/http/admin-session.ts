/**
 * The admin's own session, without cookies: inside the control panel's iframe third-party cookies are
 * blocked, so after a verified /load (or /auth) the app issues a short-lived token that every admin link
 * and form carries (`?session=` on links, a hidden `session` field on forms, `X-Backorder-Session` on
 * fetches). The token is a JWT (HS256, by jose) under a key derived from the client secret and the
 * encryption key; it names the store, the user and a random session id, expires an hour after its last
 * use (every page gets a renewed one) and at most 12 hours after the load that started it.
 * It also names the store's installation and the user's access generation it was opened in: an
 * uninstall (then a reinstall) or the user's removal ends it even before it expires.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const SESSION_TTL_SECONDS = 3600;
export const SESSION_MAX_AGE_SECONDS = 12 * 3600;

export interface SessionKeys {
  session: Buffer;
  csrf: Buffer;
}

/** Who a session is for, as the store and user rows said when it was opened. */
export interface SessionOwner {
  storeHash: string;
  userId: number;
  /** The store's installation (`stores.installation`). */
  installation: number;
  /** The user's access generation (`store_users.access_generation`). */
  access: number;
}

export interface AdminSession extends SessionOwner {
  /** Random id of this session; flashes and CSRF tokens are bound to it. */
  sid: string;
  /** When the load that started the session happened (unix s). */
  startedAt: number;
  /** Unix s. */
  expiresAt: number;
}

export type SessionCheck = { ok: true; session: AdminSession } | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' };

/** Keys for sessions and CSRF tokens, derived from the app's secrets (HKDF-SHA256, one label each). */
export function deriveSessionKeys(clientSecret: string, encryptionKey: Buffer): SessionKeys {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', Buffer.from(clientSecret, 'utf8'), encryptionKey, label, 32));
  return { session: derive('backorder admin session v1'), csrf: derive('backorder admin csrf v1') };
}

function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

/**
 * Version 3 tokens are JWTs; those of version 2 (`<payload>.<HMAC>`) read as malformed, and a JWT of an
 * earlier version, genuinely signed, as expired.
 */
const FORMAT = 3;
const ALGORITHM = 'HS256';

/** The session's claims, named short: the token rides on every link of the admin. */
interface SessionClaims {
  v: number;
  s: string;
  u: number;
  i: number;
  a: number;
  sid: string;
  st: number;
  exp: number;
}

function encode(keys: SessionKeys, session: AdminSession): Promise<string> {
  const claims: Omit<SessionClaims, 'exp'> = {
    v: FORMAT,
    s: session.storeHash,
    u: session.userId,
    i: session.installation,
    a: session.access,
    sid: session.sid,
    st: session.startedAt,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM }).setExpirationTime(session.expiresAt).sign(keys.session);
}

const nowSeconds = (now: number) => Math.floor(now / 1000);

/** A new session for a user who just opened the app: its token and what it holds. */
export async function issueSession(keys: SessionKeys, who: SessionOwner, now = Date.now()): Promise<{ token: string; session: AdminSession }> {
  const started = nowSeconds(now);
  const session: AdminSession = {
    storeHash: who.storeHash,
    userId: who.userId,
    installation: who.installation,
    access: who.access,
    sid: randomBytes(16).toString('base64url'),
    startedAt: started,
    expiresAt: started + SESSION_TTL_SECONDS,
  };
  return { token: await encode(keys, session), session };
}

/** The same session, valid for another hour (never past its maximum age). */
export function renewSession(keys: SessionKeys, session: AdminSession, now = Date.now()): Promise<string> {
  const expiresAt = Math.min(nowSeconds(now) + SESSION_TTL_SECONDS, session.startedAt + SESSION_MAX_AGE_SECONDS);
  return encode(keys, { ...session, expiresAt });
}

/** Why jose refused a session token, in the words of `SessionCheck`. */
function refusalOf(error: unknown): 'malformed' | 'bad-signature' | 'expired' {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JOSEAlgNotAllowed) return 'bad-signature';
  return 'malformed';
}

/** Verifies a session token; says why it is refused. */
export async function verifySession(keys: SessionKeys, token: unknown, now = Date.now()): Promise<SessionCheck> {
  if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
  let claims: Partial<Record<keyof SessionClaims, unknown>>;
  try {
    ({ payload: claims } = await jwtVerify(token, keys.session, { algorithms: [ALGORITHM], currentDate: new Date(now), requiredClaims: ['exp'] }));
  } catch (error) {
    return { ok: false, reason: refusalOf(error) };
  }
  const { v, s, u, i, a, sid, st, exp } = claims;
  // A token of an earlier version, genuinely signed, was issued before an upgrade: it is simply old.
  if (typeof v === 'number' && v < FORMAT) return { ok: false, reason: 'expired' };
  if (v !== FORMAT || typeof s !== 'string' || typeof u !== 'number' || typeof sid !== 'string' || typeof st !== 'number' || typeof exp !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof i !== 'number' || typeof a !== 'number') return { ok: false, reason: 'malformed' };
  return { ok: true, session: { storeHash: s, userId: u, installation: i, access: a, sid, startedAt: st, expiresAt: exp } };
}

/** The CSRF token of a session: forms carry it, and a form without the session's token is refused. */
export function csrfTokenFor(keys: SessionKeys, session: Pick<AdminSession, 'sid' | 'storeHash'>): string {
  return sign(keys.csrf, `${session.storeHash}:${session.sid}`);
}

export function isValidCsrfToken(keys: SessionKeys, session: Pick<AdminSession, 'sid' | 'storeHash'>, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(keys, session));
  const received = Buffer.from(given);
  return received.length === expected.length && timingSafeEqual(received, expected);
}
