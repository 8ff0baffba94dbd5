import { afterEach, describe, expect, it } from 'vitest';
import { BigCommerceError, ValidationError } from '../../../server/bigcommerce/errors.ts';
import { exchangeCode, storeHashFromContext } from '../../../server/bigcommerce/oauth.ts';
import { fakeApi, type FakeApi } from './fake-api.ts';

let api: FakeApi | undefined;
afterEach(async () => api?.close());

const TOKEN_RESPONSE = {
  access_token: 'granted-token',
  scope: 'store_v2_orders store_v2_products',
  user: { id: 24654, username: 'merchant@example.com', email: 'merchant@example.com' },
  owner: { id: 12345, username: 'owner@example.com', email: 'owner@example.com' },
  context: 'stores/g5cd38',
  account_uuid: '12345678-90ab-cdef-1234-567890abcdef',
};

const exchange = (loginUrl: string) =>
  exchangeCode({
    loginUrl,
    clientId: 'cid',
    clientSecret: 'the-client-secret',
    code: 'qr6h3thvbvag2ffq',
    scope: 'store_v2_orders store_v2_products',
    context: 'stores/g5cd38',
    redirectUri: 'https://app.example.com/auth',
  });

describe('OAuth code exchange', () => {
  it('when the code is exchanged, then every field BigCommerce requires is posted and the token comes back typed', async () => {
    api = await fakeApi(() => ({ body: TOKEN_RESPONSE }));
    const token = await exchange(api.url);
    expect(token).toMatchObject({ access_token: 'granted-token', storeHash: 'g5cd38', user: { id: 24654 }, owner: { id: 12345 } });
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/oauth2/token',
      body: {
        client_id: 'cid',
        client_secret: 'the-client-secret',
        code: 'qr6h3thvbvag2ffq',
        scope: 'store_v2_orders store_v2_products',
        context: 'stores/g5cd38',
        grant_type: 'authorization_code',
        redirect_uri: 'https://app.example.com/auth',
      },
    });
    expect(api.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('when the code is refused, then the error says why without the secret or the code, and it is not retried', async () => {
    api = await fakeApi(() => ({ status: 400, body: { error: 'invalid_grant', error_description: 'The code has expired' } }));
    const error = (await exchange(api.url).catch((e: unknown) => e)) as BigCommerceError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/invalid_grant: The code has expired/);
    expect(JSON.stringify(error) + error.message).not.toMatch(/the-client-secret|qr6h3thvbvag2ffq/);
    expect(api.requests).toHaveLength(1);
  });

  it('when the answer lacks a token, then the exchange fails', async () => {
    api = await fakeApi(() => ({ body: { ...TOKEN_RESPONSE, access_token: '' } }));
    await expect(exchange(api.url)).rejects.toThrow(/lacks access_token/);
  });

  it('when a context names a store, then its hash is read from it', () => {
    expect(storeHashFromContext('stores/g5cd38')).toBe('g5cd38');
    expect(storeHashFromContext('stores/')).toBeUndefined();
    expect(storeHashFromContext('users/1')).toBeUndefined();
  });
});
