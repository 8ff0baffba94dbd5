import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../../helpers/config.ts';
import { listen, type Listening } from '../../helpers/http.ts';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.ts';

let t: TestSandbox;
let app: Listening;
let calls: string[];
beforeEach(async () => {
  calls = [];
  app = await listen((req, res) => {
    calls.push(req.url ?? '');
    res.end('ok');
  });
  t = await startTestSandbox({ appUrl: app.url });
});
afterEach(async () => {
  await t?.stop();
  await app?.close();
});

function exchange(body: Record<string, string>, contentType = 'application/json') {
  const encoded = contentType === 'application/json' ? JSON.stringify(body) : new URLSearchParams(body).toString();
  return fetch(`${t.sandbox.loginUrl}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': contentType, Accept: 'application/json' }, body: encoded });
}

async function installAndRequest(overrides: Record<string, string> = {}) {
  const { url, code } = await t.sandbox.install(t.storeHash, { scopes: ['store_v2_products', 'store_v2_orders_read_only'] });
  const query = new URL(url).searchParams;
  const body = {
    client_id: TEST_CLIENT_ID,
    client_secret: TEST_CLIENT_SECRET,
    code,
    scope: query.get('scope')!,
    context: query.get('context')!,
    grant_type: 'authorization_code',
    redirect_uri: `${app.url}/auth`,
    ...overrides,
  };
  return { url, code, body };
}

function decode(jwt: string) {
  const [header, claims, signature] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(claims!, 'base64url').toString()),
    verifies: (secret: string) => createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url') === signature,
  };
}

describe('install and the OAuth code exchange (ref §1.2, §10.1)', () => {
  it('when BigCommerce installs the app, then /auth gets code, scope, context and account_uuid', async () => {
    const { url } = await installAndRequest();
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe(`${app.url}/auth`);
    expect(parsed.searchParams.get('context')).toBe(`stores/${t.storeHash}`);
    expect(parsed.searchParams.get('scope')).toBe('store_v2_products store_v2_orders_read_only');
    expect(parsed.searchParams.get('account_uuid')).toMatch(/^[0-9a-f-]{36}$/);
    const called = await t.sandbox.install(t.storeHash, { call: true });
    expect(called.status).toBe(200);
    expect(calls[0]).toMatch(/^\/auth\?code=/);
  });

  it('when the code is exchanged, then the token body carries user, owner, context and scope, and the token works once issued', async () => {
    const { body } = await installAndRequest();
    const answer = await exchange(body);
    expect(answer.status).toBe(200);
    const token = (await answer.json()) as Record<string, unknown>;
    expect(token).toEqual({
      access_token: expect.any(String),
      scope: 'store_v2_products store_v2_orders_read_only',
      context: `stores/${t.storeHash}`,
      user: { id: expect.any(Number), username: expect.any(String), email: expect.any(String) },
      owner: { id: expect.any(Number), username: expect.any(String), email: expect.any(String) },
      account_uuid: expect.any(String),
    });
    expect((await t.get('/v3/catalog/products/100', token.access_token as string)).status).toBe(200);
    expect((await t.put(`/v2/orders/1`, { staff_notes: 'x' }, token.access_token as string)).status).toBe(403);
  });

  it('when the code is used a second time, then the exchange is refused', async () => {
    const { body } = await installAndRequest();
    expect((await exchange(body)).status).toBe(200);
    const again = await exchange(body);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('when the secret, the code, the redirect_uri or the grant type is wrong, then the exchange is refused and the code stays good', async () => {
    const { body } = await installAndRequest();
    const refusals: Array<[Record<string, string>, number, string]> = [
      [{ client_secret: 'wrong' }, 401, 'invalid_client'],
      [{ client_id: 'someone-else' }, 401, 'invalid_client'],
      [{ code: 'not-a-code' }, 400, 'invalid_grant'],
      [{ redirect_uri: `${app.url}/other` }, 400, 'invalid_grant'],
      [{ grant_type: 'client_credentials' }, 400, 'unsupported_grant_type'],
      [{ context: 'stores/another' }, 400, 'invalid_grant'],
    ];
    for (const [override, status, error] of refusals) {
      const answer = await exchange({ ...body, ...override });
      expect(answer.status).toBe(status);
      expect(await answer.json()).toMatchObject({ error });
    }
    expect((await exchange(body, 'application/x-www-form-urlencoded')).status).toBe(200);
  });
});

describe('signed payloads (ref §1.3)', () => {
  it('when a load payload is minted, then it is HS256 over the client secret with every documented claim', () => {
    const { header, claims, verifies } = decode(t.sandbox.signedPayload(t.storeHash));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(verifies(TEST_CLIENT_SECRET)).toBe(true);
    expect(claims).toEqual({
      aud: TEST_CLIENT_ID,
      iss: 'bc',
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sub: `stores/${t.storeHash}`,
      user: { id: expect.any(Number), email: expect.any(String), locale: 'en-US' },
      owner: { id: expect.any(Number), email: expect.any(String) },
      url: '/',
      channel_id: null,
    });
    expect(claims.exp - claims.nbf).toBe(24 * 3600);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(60);
  });

  it('when a payload is spoiled on purpose, then exactly that property is wrong', () => {
    const now = Date.now() / 1000;
    expect(decode(t.sandbox.signedPayload(t.storeHash, undefined, { expired: true })).claims.exp).toBeLessThan(now);
    expect(decode(t.sandbox.signedPayload(t.storeHash, undefined, { wrongAudience: true })).claims.aud).not.toBe(TEST_CLIENT_ID);
    expect(decode(t.sandbox.signedPayload(t.storeHash, undefined, { wrongIssuer: true })).claims.iss).not.toBe('bc');
    expect(decode(t.sandbox.signedPayload(t.storeHash, undefined, { notYetValid: true })).claims.nbf).toBeGreaterThan(now);
    const forged = decode(t.sandbox.signedPayload(t.storeHash, undefined, { forged: true }));
    expect(forged.verifies(TEST_CLIENT_SECRET)).toBe(false);
    expect(forged.claims.aud).toBe(TEST_CLIENT_ID);
  });

  it('when a load is for another user, then the user claim is that user and the owner stays the owner', () => {
    const { claims } = decode(t.sandbox.signedPayload(t.storeHash, 4242, { url: '/products/100' }));
    expect(claims.user.id).toBe(4242);
    expect(claims.owner.id).not.toBe(4242);
    expect(claims.url).toBe('/products/100');
    const loadUrl = new URL(t.sandbox.loadUrl(t.storeHash));
    expect(loadUrl.pathname).toBe('/load');
    expect(decode(loadUrl.searchParams.get('signed_payload_jwt')!).verifies(TEST_CLIENT_SECRET)).toBe(true);
  });
});

describe('uninstall and remove user (ref §1.1, §1.5)', () => {
  it("when the app is uninstalled, then /uninstall is called, the app's hooks and auto_uninstall scripts go, and its tokens stop working", async () => {
    await t.post('/v3/hooks', { scope: 'store/order/*', destination: 'https://example.com/h' });
    await t.post('/v3/content/scripts', { name: 'goes', kind: 'src', src: 'https://example.com/a.js', auto_uninstall: true });
    await t.post('/v3/content/scripts', { name: 'stays', kind: 'src', src: 'https://example.com/b.js', auto_uninstall: false });
    const otherApp = await t.sandbox.issueAccessToken(t.storeHash, undefined, 'another-app');
    await t.post('/v3/hooks', { scope: 'store/order/*', destination: 'https://example.com/other' }, otherApp);

    const result = await t.sandbox.uninstall(t.storeHash);
    expect(result.status).toBe(200);
    expect(calls).toEqual([expect.stringMatching(/^\/uninstall\?signed_payload_jwt=/)]);
    expect((await t.get('/v3/catalog/products/100')).status).toBe(401);
    const store = t.sandbox.store(t.storeHash);
    expect(store.hooks().map((h) => h.client_id)).toEqual(['another-app']);
    expect(store.scripts().map((s) => s.name)).toEqual(['stays']);
    expect((await t.get('/v3/hooks', otherApp)).body.data).toHaveLength(1);
  });

  it('when a user is removed, then /remove_user is called with a payload naming that user', async () => {
    const result = await t.sandbox.removeUser(t.storeHash, 77);
    expect(result.status).toBe(200);
    const jwt = new URL(`${app.url}${calls[0]}`).searchParams.get('signed_payload_jwt')!;
    expect(decode(jwt).claims.user.id).toBe(77);
  });
});
