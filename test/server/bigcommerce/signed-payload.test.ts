import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignedPayload } from '../../../server/bigcommerce/signed-payload.ts';

const CLIENT_ID = 'app-client-id';
const SECRET = 'app-client-secret';
const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);
const nowSeconds = NOW / 1000;

function claims(overrides: Record<string, unknown> = {}) {
  return {
    aud: CLIENT_ID,
    iss: 'bc',
    iat: nowSeconds - 5,
    nbf: nowSeconds - 10,
    exp: nowSeconds + 24 * 3600,
    jti: '6a4b5c1e-1111-2222-3333-444455556666',
    sub: 'stores/abc123',
    user: { id: 24654, email: 'merchant@example.com', locale: 'en-US' },
    owner: { id: 12345, email: 'owner@example.com' },
    url: '/',
    channel_id: null,
    ...overrides,
  };
}

const verify = (token: string, now = NOW) => verifySignedPayload(token, { clientId: CLIENT_ID, clientSecret: SECRET, now });

describe('signed payload JWT', () => {
  it('when the payload is genuine, then its claims and store hash are returned', async () => {
    const result = await verify(signPayload(claims(), SECRET));
    expect(result).toMatchObject({ ok: true, storeHash: 'abc123', claims: { user: { id: 24654 }, owner: { id: 12345 } } });
  });

  it('when the payload is signed with another secret, then it is refused as a bad signature', async () => {
    expect(await verify(signPayload(claims(), 'someone-elses-secret'))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('when a genuine payload has its claims altered, then it is refused as a bad signature', async () => {
    const [header, , signature] = signPayload(claims(), SECRET).split('.');
    const altered = Buffer.from(JSON.stringify(claims({ sub: 'stores/other1' }))).toString('base64url');
    expect(await verify(`${header}.${altered}.${signature}`)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('when the payload expired even a second ago, then it is refused as expired: exp has no grace', async () => {
    expect(await verify(signPayload(claims({ exp: nowSeconds - 1 }), SECRET))).toEqual({ ok: false, reason: 'expired' });
    expect(await verify(signPayload(claims({ exp: nowSeconds - 30 }), SECRET))).toEqual({ ok: false, reason: 'expired' });
    expect((await verify(signPayload(claims({ exp: nowSeconds + 1 }), SECRET))).ok).toBe(true);
  });

  it('when the payload is not valid yet by up to 60 s (a server clock behind BigCommerce), then it is accepted; beyond, refused', async () => {
    expect(await verify(signPayload(claims({ nbf: nowSeconds + 61 }), SECRET))).toEqual({ ok: false, reason: 'not-yet-valid' });
    expect((await verify(signPayload(claims({ nbf: nowSeconds + 59 }), SECRET))).ok).toBe(true);
  });

  it('when the payload has no jti or no iat, then it is refused as malformed: it could not be made single-use', async () => {
    expect(await verify(signPayload(claims({ jti: undefined }), SECRET))).toEqual({ ok: false, reason: 'malformed' });
    expect(await verify(signPayload(claims({ jti: '' }), SECRET))).toEqual({ ok: false, reason: 'malformed' });
    expect(await verify(signPayload(claims({ iat: undefined }), SECRET))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when the payload is for another app, then it is refused as the wrong audience', async () => {
    expect(await verify(signPayload(claims({ aud: 'another-app' }), SECRET))).toEqual({ ok: false, reason: 'wrong-audience' });
    expect(await verify(signPayload(claims({ aud: undefined }), SECRET))).toEqual({ ok: false, reason: 'wrong-audience' });
  });

  it('when the payload was not issued by BigCommerce, then it is refused as the wrong issuer', async () => {
    expect(await verify(signPayload(claims({ iss: 'evil' }), SECRET))).toEqual({ ok: false, reason: 'wrong-issuer' });
  });

  it('when the subject does not name a store, then it is refused', async () => {
    expect(await verify(signPayload(claims({ sub: 'users/abc123' }), SECRET))).toEqual({ ok: false, reason: 'bad-subject' });
    expect(await verify(signPayload(claims({ sub: 'stores/' }), SECRET))).toEqual({ ok: false, reason: 'bad-subject' });
  });

  it('when the header says alg none and there is no signature, then it is refused for its algorithm', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`;
    expect(await verify(unsigned)).toEqual({ ok: false, reason: 'wrong-algorithm' });
  });

  it('when the token uses another HMAC algorithm, even correctly signed, then it is refused for its algorithm', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'HS512', typ: 'JWT' })}.${encode(claims())}`;
    const token = `${input}.${createHmac('sha512', SECRET).update(input).digest('base64url')}`;
    expect(await verify(token)).toEqual({ ok: false, reason: 'wrong-algorithm' });
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', '!!.??.**', `${Buffer.from('[1]').toString('base64url')}.e30.`])(
    'when the token is %j, then it is refused as malformed',
    async (token) => {
      expect(await verify(token)).toEqual({ ok: false, reason: 'malformed' });
    },
  );

  it('when the token is signed the way BigCommerce signs it, then an independent HS256 computation agrees', () => {
    const token = signPayload(claims(), SECRET);
    const [header, body, signature] = token.split('.');
    expect(createHmac('sha256', SECRET).update(`${header}.${body}`).digest('base64url')).toBe(signature);
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
  });
});
