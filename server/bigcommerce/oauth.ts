/**
 * The install step of OAuth (§1.2): the code BigCommerce hands the `/auth` callback is exchanged once for
 * the store's long-lived access token. A code is single-use, so a failed exchange is not retried: the
 * merchant starts the install again. Neither the client secret nor the code ever enters an error.
 */
import { BigCommerceError, errorFromResponse } from './errors.ts';

export interface AuthCallbackQuery {
  code: string;
  /** Space-separated scopes, as the callback gave them. */
  scope: string;
  /** `stores/{store_hash}`. */
  context: string;
}

export interface ExchangeCodeOptions extends AuthCallbackQuery {
  /** Default https://login.bigcommerce.com. */
  loginUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Exactly the auth callback URL registered for the app. */
  redirectUri: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface OAuthUser {
  id: number;
  username?: string;
  email: string;
}

export interface OAuthToken {
  access_token: string;
  scope: string;
  user: OAuthUser;
  owner: OAuthUser;
  context: string;
  account_uuid?: string;
  [field: string]: unknown;
}

/** The store hash in `stores/{hash}`, or undefined when the context is not of that form. */
export function storeHashFromContext(context: string): string | undefined {
  return /^stores\/([A-Za-z0-9]+)$/.exec(context)?.[1];
}

/** POSTs the code to `{loginUrl}/oauth2/token` and returns the token response; throws a BigCommerceError otherwise. */
export async function exchangeCode(options: ExchangeCodeOptions): Promise<OAuthToken & { storeHash: string }> {
  const url = `${(options.loginUrl ?? 'https://login.bigcommerce.com').replace(/\/+$/, '')}/oauth2/token`;
  const context = { method: 'POST', path: '/oauth2/token' };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        client_id: options.clientId,
        client_secret: options.clientSecret,
        code: options.code,
        scope: options.scope,
        context: options.context,
        grant_type: 'authorization_code',
        redirect_uri: options.redirectUri,
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (cause) {
    throw new BigCommerceError({ status: 0, title: 'the login service did not answer', context, cause });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!response.ok) throw errorFromResponse(response.status, describeOAuthError(body), context);
  const token = body as Partial<OAuthToken> | undefined;
  const storeHash = storeHashFromContext(String(token?.context ?? ''));
  if (!token || typeof token.access_token !== 'string' || !token.access_token || !storeHash) {
    throw new BigCommerceError({ status: response.status, title: 'the token response lacks access_token or a stores/{hash} context', context });
  }
  return { ...(token as OAuthToken), storeHash };
}

/** OAuth errors come as `{ error, error_description }` or BigCommerce's own shapes; keep only their words. */
function describeOAuthError(body: unknown): unknown {
  const b = body as { error?: unknown; error_description?: unknown } | undefined;
  if (b && typeof b === 'object' && !Array.isArray(b) && typeof b.error === 'string') {
    return { title: typeof b.error_description === 'string' ? `${b.error}: ${b.error_description}` : b.error };
  }
  return body;
}
