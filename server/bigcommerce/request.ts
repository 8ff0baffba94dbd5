/**
 * The request core: one function that every BigCommerce call goes through. It takes a unit of the store's
 * rate budget before sending, sends JSON with the token, waits out 429s for the time BigCommerce gives
 * (milliseconds), retries 5xx and lost connections with capped exponential backoff and jitter, and turns
 * every other failure into a typed error. The token lives only in this closure: it is never logged, never
 * put in an error, never returned.
 */
import type { Logger } from '../logger.ts';
import { bigcommerceRateLimitQuota, bigcommerceRateLimitRemaining, bigcommerceRequests } from '../metrics/metrics.ts';
import { formatRfc2822 } from './dates.ts';
import { BigCommerceError, NetworkError, RateLimitedError, errorFromResponse, type RequestContext } from './errors.ts';
import { toQueryString, type Query } from './query.ts';
import { processRateLimitState, readRateLimitHeaders, retryAfterMs, type CallPriority, type RateLimitState } from './rate-limit.ts';
import { httpTransport, type Transport, type TransportResponse } from './transport.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  version: 'v2' | 'v3';
  /** Below the version, e.g. `/catalog/products`. */
  path: string;
  query?: Query;
  body?: unknown;
}

export interface BigCommerceResponse<T> {
  status: number;
  /** The parsed JSON; undefined for an empty body (204, DELETE). */
  body: T | undefined;
  /** When the attempt answered was sent (the app's clock): the answer is at least as recent. */
  sentAt: Date;
}

export type Requester = <T>(options: RequestOptions) => Promise<BigCommerceResponse<T>>;

export interface RetryPolicy {
  /** Attempts in all for a 5xx or a lost connection (idempotent methods only). */
  serverAttempts: number;
  /** Attempts in all when answered 429. */
  rateLimitAttempts: number;
  /** First backoff after a 5xx or lost connection; doubles each time, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wait after a 429 that says nothing about when to come back (platform overload): longer. */
  overloadDelayMs: number;
  /**
   * The longest the client waits for the store's budget. A longer wait throws RateLimitedError (with
   * `retryAfterMs`) without sending, so a job can be delayed instead of holding its worker.
   */
  maxWaitMs: number;
}

/** The longest a call waits for the store's budget: the one rate-budget policy (see gateway.ts). */
export const BUDGET_WAIT_MS = 5_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  serverAttempts: 4,
  rateLimitAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  overloadDelayMs: 15_000,
  maxWaitMs: BUDGET_WAIT_MS,
};

export interface RequesterOptions {
  storeHash: string;
  accessToken: string;
  /** Default https://api.bigcommerce.com. */
  apiUrl?: string;
  rateLimitState?: RateLimitState;
  /** Background work leaves the last of each window to the stock's own calls (rate-limit.ts); default `stock`. */
  priority?: CallPriority;
  logger?: Logger;
  /** Sends the requests instead of node:http(s) (`transport.ts`): a test or a bench counting them. */
  fetch?: typeof fetch;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Capped exponential backoff with jitter: between half and all of base·2^attempt, at most `max`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

// A retried POST could create a second hook or script; only methods that may be repeated are retried
// after a 5xx or a lost connection. A 429 means the request was refused, so every method is retried.
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'DELETE']);

/** Builds the requester for one store. */
export function createRequester(options: RequesterOptions): Requester {
  const base = `${(options.apiUrl ?? 'https://api.bigcommerce.com').replace(/\/+$/, '')}/stores/${encodeURIComponent(options.storeHash)}`;
  const storeHash = options.storeHash;
  const accessToken = options.accessToken;
  const state = options.rateLimitState ?? processRateLimitState;
  const priority = options.priority ?? 'stock';
  const send: Transport = options.fetch ?? httpTransport;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const logger = options.logger;

  async function waitForBudget(context: RequestContext): Promise<void> {
    for (let wait = await state.reserve(storeHash, now(), priority); wait > 0; wait = await state.reserve(storeHash, now(), priority)) {
      if (wait > policy.maxWaitMs) {
        const keptForStock = priority === 'background';
        const budget = keptForStock ? "the store's API budget for work that can wait" : "the store's API budget";
        const title = `${budget} is spent for another ${Math.ceil(wait)} ms`;
        const error = new RateLimitedError({ status: 429, title, context, message: `BigCommerce ${context.method} ${context.path} not sent: ${title}` });
        error.retryAfterMs = wait;
        error.keptForStock = keptForStock;
        throw error;
      }
      logger?.debug({ storeHash, waitMs: wait }, 'bigcommerce rate budget spent; waiting for the window to reset');
      await sleep(wait);
    }
  }

  return async function request<T>({ method = 'GET', version, path, query, body }: RequestOptions): Promise<BigCommerceResponse<T>> {
    const formatDate = version === 'v2' ? formatRfc2822 : undefined;
    const relative = `/stores/${storeHash}/${version}${path}${toQueryString(query, formatDate)}`;
    const url = `${base}/${version}${path}${toQueryString(query, formatDate)}`;
    const context: RequestContext = { method, path: relative };
    const headers: Record<string, string> = { 'X-Auth-Token': accessToken, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body);

    let serverFailures = 0;
    let rateLimited = 0;
    for (;;) {
      await waitForBudget(context);
      const started = now();
      let response: TransportResponse;
      try {
        response = await send(url, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
      } catch (cause) {
        bigcommerceRequests.inc({ store: storeHash, method, status: 'network' });
        const reason = describeNetworkFailure(cause, timeoutMs);
        if (IDEMPOTENT.has(method) && ++serverFailures < policy.serverAttempts) {
          const delay = backoffDelay(serverFailures - 1, policy.baseDelayMs, policy.maxDelayMs);
          logger?.warn({ storeHash, method, path: relative, reason, delayMs: delay }, 'bigcommerce unreachable; retrying');
          await sleep(delay);
          continue;
        }
        throw new NetworkError({ status: 0, title: reason, context, message: `BigCommerce ${method} ${relative}: ${reason}`, cause });
      }

      bigcommerceRequests.inc({ store: storeHash, method, status: String(response.status) });
      const window = readRateLimitHeaders(response.headers, now());
      if (window) {
        bigcommerceRateLimitRemaining.set({ store: storeHash }, window.remaining);
        if (window.quota > 0) bigcommerceRateLimitQuota.set({ store: storeHash }, window.quota);
        await state.update(storeHash, window);
      }
      const text = await response.text();
      logger?.debug({ storeHash, method, path: relative, status: response.status, ms: now() - started }, 'bigcommerce request');

      if (response.status === 429) {
        const asked = retryAfterMs(response.headers);
        if (++rateLimited >= policy.rateLimitAttempts) throw rateLimitedError(text, context, asked);
        // Without a reset time the whole platform is overloaded for the store: back off longer each time.
        const wait = asked ?? policy.overloadDelayMs * 2 ** (rateLimited - 1);
        await state.update(storeHash, { remaining: 0, quota: window?.quota ?? 0, windowMs: window?.windowMs ?? 0, resetAt: now() + wait });
        logger?.warn({ storeHash, method, path: relative, waitMs: wait }, 'bigcommerce answered 429; waiting before retrying');
        continue;
      }
      if (response.status >= 500 && IDEMPOTENT.has(method) && ++serverFailures < policy.serverAttempts) {
        const delay = backoffDelay(serverFailures - 1, policy.baseDelayMs, policy.maxDelayMs);
        logger?.warn({ storeHash, method, path: relative, status: response.status, delayMs: delay }, 'bigcommerce server error; retrying');
        await sleep(delay);
        continue;
      }

      const parsed = parseBody(text);
      if (response.status >= 400 || response.status === 207) throw errorFromResponse(response.status, parsed, context);
      if (text !== '' && parsed === text) {
        throw new BigCommerceError({ status: response.status, title: 'the answer is not JSON', context });
      }
      return { status: response.status, body: parsed as T | undefined, sentAt: new Date(started) };
    }
  };
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function rateLimitedError(text: string, context: RequestContext, asked: number | undefined): RateLimitedError {
  const error = errorFromResponse(429, parseBody(text), context) as RateLimitedError;
  error.retryAfterMs = asked;
  return error;
}

function describeNetworkFailure(cause: unknown, timeoutMs: number): string {
  // node:http's errors carry their code; fetch's carry it in their cause.
  const error = cause as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return `no answer (${error?.code ?? error?.cause?.code ?? error?.message ?? 'network error'})`;
}
