import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
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
  it('when a session is issued, then it verifies and names its store and user', async () => {
    const { token, session } = await issueSession(keys, WHO, t0);
    const check = await verifySession(keys, token, t0 + 1000);
    expect(check).toEqual({ ok: true, session });
    expect(session).toMatchObject({ storeHash: 'abc', userId: 7, installation: 1, access: 1, expiresAt: t0 / 1000 + SESSION_TTL_SECONDS });
  });

  it('when an hour passes without use, then it has expired', async () => {
    const { token } = await issueSession(keys, WHO, t0);
    expect(await verifySession(keys, token, t0 + SESSION_TTL_SECONDS * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('when it is used, then it slides another hour, but never past 12 hours from the load', async () => {
    const { session } = await issueSession(keys, WHO, t0);
    const later = t0 + 50 * 60 * 1000;
    const renewed = await renewSession(keys, session, later);
    expect((await verifySession(keys, renewed, later + 59 * 60 * 1000)).ok).toBe(true);

    const nearEnd = t0 + (SESSION_MAX_AGE_SECONDS - 600) * 1000;
    const last = await renewSession(keys, session, nearEnd);
    expect((await verifySession(keys, last, nearEnd + 599 * 1000)).ok).toBe(true);
    expect(await verifySession(keys, last, nearEnd + 600 * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('when a token is altered, signed with other keys, or not a token, then it is refused with the reason', async () => {
    const { token } = await issueSession(keys, WHO, t0);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const otherStore = Buffer.from(JSON.stringify({ ...claims, s: 'xyz' })).toString('base64url');
    expect(await verifySession(keys, `${header}.${otherStore}.${signature}`, t0)).toEqual({ ok: false, reason: 'bad-signature' });
    const otherKeys = deriveSessionKeys('client-secret', randomBytes(32));
    expect(await verifySession(otherKeys, token, t0)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await verifySession(keys, undefined, t0)).toEqual({ ok: false, reason: 'missing' });
    expect(await verifySession(keys, 'a.b.c', t0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when a token is a JWT of an earlier version, unsigned, or of the form before JWTs, then it is refused as old, unsigned or damaged', async () => {
    const { token, session } = await issueSession(keys, WHO, t0);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const older = await new SignJWT({ ...claims, v: 2 }).setProtectedHeader({ alg: 'HS256' }).sign(keys.session);
    expect(await verifySession(keys, older, t0)).toEqual({ ok: false, reason: 'expired' });
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(await verifySession(keys, `${encode({ alg: 'none' })}.${encode(claims)}.`, t0)).toEqual({ ok: false, reason: 'bad-signature' });
    // Before JWTs: <payload>.<HMAC-SHA256> under the same key. Sessions last an hour; such links open nothing now.
    const payload = encode({ v: 2, s: session.storeHash, u: session.userId, i: 1, a: 1, sid: session.sid, st: session.startedAt, exp: session.expiresAt });
    const before = `${payload}.${createHmac('sha256', keys.session).update(payload).digest('base64url')}`;
    expect(await verifySession(keys, before, t0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when a CSRF token is checked, then only the token of the same session passes', async () => {
    const a = (await issueSession(keys, WHO, t0)).session;
    const b = (await issueSession(keys, WHO, t0)).session;
    expect(isValidCsrfToken(keys, a, csrfTokenFor(keys, a))).toBe(true);
    expect(isValidCsrfToken(keys, a, csrfTokenFor(keys, b))).toBe(false);
    expect(isValidCsrfToken(keys, a, undefined)).toBe(false);
    expect(isValidCsrfToken(keys, a, '')).toBe(false);
  });
});
