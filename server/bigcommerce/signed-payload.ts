/**
 * `signed_payload_jwt` on /load, /uninstall and /remove_user (§1.3): a JWT signed HS256 with the app's
 * client secret. Everything is checked, including what popular clients forget: the algorithm is pinned
 * (no `none`, no other HMAC), `aud` must be this app's client id, `iss` must be `bc`, `sub` must name a
 * store, `jti` and `iat` must be there (the app makes each payload single-use and compares `iat` with a
 * user's removal), and the token must be inside its validity window. jose checks the signature, the
 * algorithm, `iss`, `aud` and the window; this module the rest. Verification answers `{ ok: false, reason }`
 * rather than throwing.
 *
 * Clock skew: BigCommerce issues a payload the moment it calls the app (`nbf` = `iat`, sometimes
 * `iat` − 5 s) and lets it live 24 hours. A server whose clock runs a little behind BigCommerce's would
 * refuse a fresh payload as not valid yet, so `nbf` gets 60 s of grace (NTP keeps servers far closer).
 * `exp` gets none: 24 hours is already longer than any honest use, and a grace there would only lengthen
 * the life of a leaked link.
 */
import { createHmac } from 'node:crypto';
import { errors, jwtVerify } from 'jose';

export interface SignedPayloadClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  /** `stores/{store_hash}`. */
  sub: string;
  /** Who triggered the callback (the owner or an authorised user). */
  user: { id: number; email: string; locale?: string };
  owner: { id: number; email: string };
  /** Deep-link path of a load. */
  url?: string;
  channel_id?: number | null;
  [claim: string]: unknown;
}

export type SignedPayloadFailure =
  'malformed' | 'wrong-algorithm' | 'bad-signature' | 'wrong-issuer' | 'wrong-audience' | 'bad-subject' | 'expired' | 'not-yet-valid';

export type SignedPayloadResult = { ok: true; claims: SignedPayloadClaims; storeHash: string } | { ok: false; reason: SignedPayloadFailure };

export interface VerifySignedPayloadOptions {
  clientId: string;
  clientSecret: string;
  /** Epoch ms; default now. */
  now?: number;
  /** Clock skew allowed on `nbf`, in seconds; default `NOT_BEFORE_GRACE_SECONDS`. `exp` has none. */
  toleranceSeconds?: number;
}

/** How far ahead of this server's clock a payload's `nbf` may be (see above). */
export const NOT_BEFORE_GRACE_SECONDS = 60;

/** Why jose refused a token, in our words: a claim it checked names the reason, anything else is malformed. */
function failureOf(error: unknown): SignedPayloadFailure {
  if (error instanceof errors.JOSEAlgNotAllowed) return 'wrong-algorithm';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    const byClaim: Record<string, SignedPayloadFailure> = { iss: 'wrong-issuer', aud: 'wrong-audience', nbf: 'not-yet-valid' };
    return byClaim[error.claim] ?? 'malformed';
  }
  return 'malformed';
}

/** Verifies a signed payload JWT; on success returns its claims and the store hash from `sub`. */
export async function verifySignedPayload(token: string, options: VerifySignedPayloadOptions): Promise<SignedPayloadResult> {
  const fail = (reason: SignedPayloadFailure) => ({ ok: false, reason }) as const;
  if (typeof token !== 'string') return fail('malformed');
  const now = options.now ?? Date.now();
  let claims: Partial<SignedPayloadClaims>;
  try {
    // The algorithm is ours to decide, not the token's: anything but HS256 is refused before the signature.
    // jose's tolerance is for both ends of the window; `exp` is held to the second below.
    ({ payload: claims } = await jwtVerify<Partial<SignedPayloadClaims>>(token, new TextEncoder().encode(options.clientSecret), {
      algorithms: ['HS256'],
      issuer: 'bc',
      audience: options.clientId,
      currentDate: new Date(now),
      clockTolerance: options.toleranceSeconds ?? NOT_BEFORE_GRACE_SECONDS,
    }));
  } catch (error) {
    return fail(failureOf(error));
  }
  const storeHash = typeof claims.sub === 'string' ? /^stores\/([A-Za-z0-9]+)$/.exec(claims.sub)?.[1] : undefined;
  if (!storeHash) return fail('bad-subject');
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return fail('malformed');
  if (typeof claims.jti !== 'string' || claims.jti === '') return fail('malformed');
  if (now / 1000 >= claims.exp) return fail('expired');
  return { ok: true, claims: claims as SignedPayloadClaims, storeHash };
}

/**
 * Mints a signed payload JWT the way BigCommerce does (HS256, client secret). For tests; `header`
 * lets a test forge a token with another algorithm.
 */
export function signPayload(claims: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
