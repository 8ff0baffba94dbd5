/**
 * The GraphQL Account API (`POST {BC_API_URL}/accounts/{partner account uuid}/graphql`, header
 * `X-Auth-Token`: the partner's account-level token, never a store's). Unified Billing's operations go
 * through `accountGraphql`; BigCommerce answers refusals with HTTP 200 and an `errors` array, which
 * becomes an UnifiedBillingError naming which documented refusal it is.
 */
import type { Logger } from '../logger.ts';
import { BigCommerceError, NetworkError, errorFromResponse, type RequestContext } from './errors.ts';
import { backoffDelay } from './request.ts';

/** The refusals Unified Billing documents, as the app branches on them. */
export type UnifiedBillingRefusal =
  'product-not-supported' | 'scope-not-of-account' | 'no-permission' | 'trial-subscription' | 'no-active-subscription' | 'update-not-allowed' | 'other';

const REFUSALS: Array<[RegExp, UnifiedBillingRefusal]> = [
  [/^Product is not supported for your account/i, 'product-not-supported'],
  [/^Scope does not belong to account/i, 'scope-not-of-account'],
  [/^You do not have permission to do this operation/i, 'no-permission'],
  [/^Checkouts are not available for existing trial subscriptions/i, 'trial-subscription'],
  [/^Could not find active subscription/i, 'no-active-subscription'],
  [/^(Scope|Product) updates are not allowed|^Trial days cannot be added/i, 'update-not-allowed'],
];

/** A GraphQL `errors` answer of the Account API. */
export class UnifiedBillingError extends BigCommerceError {
  readonly refusal: UnifiedBillingRefusal;
  constructor(messages: string[], context: RequestContext) {
    const title = messages.join(' ');
    super({ status: 200, title, context, message: `BigCommerce Unified Billing refused ${context.path}: ${title}` });
    this.refusal = REFUSALS.find(([pattern]) => messages.some((m) => pattern.test(m)))?.[1] ?? 'other';
  }
}

export interface AccountApiOptions {
  apiUrl: string;
  partnerAccountUuid: string;
  accountApiToken: string;
  logger?: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type AccountGraphql = <T>(operation: string, query: string, variables: Record<string, unknown>, options?: { retry?: boolean }) => Promise<T>;

const ATTEMPTS = 3;

/**
 * The Account API's one call. Reads are retried after a 5xx or a lost connection; a mutation is sent once
 * (a second createCheckout would make a second checkout), unless asked.
 */
export function accountGraphql(options: AccountApiOptions): AccountGraphql {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/accounts/${encodeURIComponent(options.partnerAccountUuid)}/graphql`;
  const send = options.fetch ?? fetch;
  const token = options.accountApiToken;
  return async function graphql<T>(operation: string, query: string, variables: Record<string, unknown>, call: { retry?: boolean } = {}): Promise<T> {
    const context: RequestContext = { method: 'POST', path: `/accounts/${options.partnerAccountUuid}/graphql (${operation})` };
    const attempts = call.retry === false ? 1 : ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await send(url, {
          method: 'POST',
          headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (cause) {
        if (attempt < attempts) {
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt - 1, 500, 5_000)));
          continue;
        }
        throw new NetworkError({ status: 0, title: 'no answer', context, message: `BigCommerce ${context.path}: no answer`, cause });
      }
      const text = await response.text();
      options.logger?.debug({ operation, status: response.status }, 'bigcommerce account api request');
      if (response.status >= 500 && attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt - 1, 500, 5_000)));
        continue;
      }
      let body: { data?: T; errors?: Array<{ message?: string }> } | undefined;
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = undefined;
      }
      if (response.status >= 400) throw errorFromResponse(response.status, body, context);
      if (!body) throw new BigCommerceError({ status: response.status, title: 'the answer is not JSON', context });
      if (body.errors && body.errors.length > 0)
        throw new UnifiedBillingError(
          body.errors.map((e) => String(e.message ?? 'unknown error')),
          context,
        );
      if (body.data === undefined) throw new BigCommerceError({ status: response.status, title: 'the answer has no data', context });
      return body.data;
    }
  };
}
