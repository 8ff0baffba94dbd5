import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  csrfTokenFor,
  deriveSessionKeys,
  isValidCsrfToken,
  issueSession,
  renewSession,
  SESSION_MAX_AGE_SECONDS,
  SESSION_TTL_SECONDS,
  verifySession,
} from '../../../server/http/admin-session.ts';

const keys = deriveSessionKeys('client-secret', randomBytes(32));
const t0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const WHO = { storeHash: 'abc', userId: 7, installation: 1, access: 1 };

describe('admin sessions', () => {
  it('when a session is issued, then it verifies and names its store and user', () => {
    const { token, session } = issueSession(keys, WHO, t0);
    const check = verifySession(keys, token, t0 + 1000);
    expect(check).toEqual({ ok: true, session });
    expect(session).toMatchObject({ storeHash: 'abc', userId: 7, installation: 1, access: 1, expiresAt: t0 / 1000 + SESSION_TTL_SECONDS });
  });

  it('when an hour passes without use, then it has expired', () => {
    const { token } = issueSession(keys, WHO, t0);
    expect(verifySession(keys, token, t0 + SESSION_TTL_SECONDS * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('when it is used, then it slides another hour, but never past 12 hours from the load', () => {
    const { session } = issueSession(keys, WHO, t0);
    const later = t0 + 50 * 60 * 1000;
    const renewed = renewSession(keys, session, later);
    expect(verifySession(keys, renewed, later + 59 * 60 * 1000).ok).toBe(true);

    const nearEnd = t0 + (SESSION_MAX_AGE_SECONDS - 600) * 1000;
    const last = renewSession(keys, session, nearEnd);
    expect(verifySession(keys, last, nearEnd + 599 * 1000).ok).toBe(true);
    expect(verifySession(keys, last, nearEnd + 600 * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('when a token is altered, signed with other keys, or not a token, then it is refused with the reason', () => {
    const { token } = issueSession(keys, WHO, t0);
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const otherStore = Buffer.from(JSON.stringify({ ...claims, s: 'xyz' })).toString('base64url');
    expect(verifySession(keys, `${otherStore}.${signature}`, t0)).toEqual({ ok: false, reason: 'bad-signature' });
    const otherKeys = deriveSessionKeys('client-secret', randomBytes(32));
    expect(verifySession(otherKeys, token, t0)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySession(keys, undefined, t0)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySession(keys, 'a.b.c', t0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when a CSRF token is checked, then only the token of the same session passes', () => {
    const a = issueSession(keys, WHO, t0).session;
    const b = issueSession(keys, WHO, t0).session;
    expect(isValidCsrfToken(keys, a, csrfTokenFor(keys, a))).toBe(true);
    expect(isValidCsrfToken(keys, a, csrfTokenFor(keys, b))).toBe(false);
    expect(isValidCsrfToken(keys, a, undefined)).toBe(false);
    expect(isValidCsrfToken(keys, a, '')).toBe(false);
  });
});
