/**
 * `signed_payload_jwt` as BigCommerce mints it for /load, /uninstall and /remove_user (ref §1.3): HS256,
 * signed with the app's client secret, with every documented claim. Options spoil one property at a time
 * so tests can prove the app refuses each.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { User } from './model.ts';

export interface SignedPayloadOptions {
  /** Expired a second ago. */
  expired?: boolean;
  /** Not valid for another hour. */
  notYetValid?: boolean;
  /** `aud` of another app. */
  wrongAudience?: boolean;
  /** `iss` other than `bc`. */
  wrongIssuer?: boolean;
  /** `sub` naming another store. */
  wrongSubject?: boolean;
  /** Signed with another secret (a forgery). */
  forged?: boolean;
  /** Header `alg` other than HS256 (the signature is still HS256). */
  algorithm?: string;
  /** Deep-link path of a load (default `/`). */
  url?: string;
  channelId?: number | null;
  /** Issued-at, unix seconds (default now). */
  issuedAt?: number;
}

export interface SignedPayloadClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  sub: string;
  user: { id: number; email: string; locale: string };
  owner: { id: number; email: string };
  url: string;
  channel_id: number | null;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Mints a signed payload for `user` of store `storeHash` (ref §1.3 claims; exp = nbf + 24 h). */
export function mintSignedPayload(
  app: { clientId: string; clientSecret: string },
  store: { hash: string; owner: User },
  user: User,
  options: SignedPayloadOptions = {},
): string {
  let iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  if (options.expired) iat -= 24 * 3600 + 1;
  if (options.notYetValid) iat += 3600;
  const claims: SignedPayloadClaims = {
    aud: options.wrongAudience ? `${app.clientId}-other-app` : app.clientId,
    iss: options.wrongIssuer ? 'not-bc' : 'bc',
    iat,
    nbf: iat,
    exp: iat + 24 * 3600,
    jti: randomUUID(),
    sub: `stores/${options.wrongSubject ? `${store.hash}x` : store.hash}`,
    user: { id: user.id, email: user.email, locale: user.locale },
    owner: { id: store.owner.id, email: store.owner.email },
    url: options.url ?? '/',
    channel_id: options.channelId === undefined ? null : options.channelId,
  };
  const header = { alg: options.algorithm ?? 'HS256', typ: 'JWT' };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const key = options.forged ? `${app.clientSecret}-forged` : app.clientSecret;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}
