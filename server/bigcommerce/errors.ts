/**
 * What BigCommerce's refusals mean to the app, one class per behaviour a caller branches on: a 429 that
 * outlasted its retries, a missing OAuth scope, a validation failure with its field map, and so on.
 * Nothing here carries the access token: errors name the method and path, never the request headers.
 */
import { AppError } from '../errors.ts';

/** Where a failed call went, for messages and logs. */
export interface RequestContext {
  method: string;
  /** The path below the API base, e.g. `/stores/abc123/v3/catalog/products`. */
  path: string;
}

export interface BigCommerceErrorDetails {
  /** The HTTP status; 0 when no answer arrived at all. */
  status: number;
  title: string;
  errors?: Record<string, unknown>;
  context: RequestContext;
  /** What to do about it, appended to the message. */
  hint?: string;
  /** Replaces the usual "BigCommerce GET /path answered 404: title" when the failure is not an answer. */
  message?: string;
  cause?: unknown;
}

/** Any answer from BigCommerce the client treats as a failure. */
export class BigCommerceError extends Error {
  /** The HTTP status; 0 when no answer arrived at all. */
  readonly status: number;
  /** BigCommerce's own one-line description (`title` in v3, the joined `message`s in v2). */
  readonly title: string;
  /** BigCommerce's field → message map, when it sent one. */
  readonly errors: Record<string, unknown>;
  readonly method: string;
  readonly path: string;
  /** True when the same call may succeed later (rate limit, server trouble, no answer). */
  readonly retryable: boolean = false;

  constructor(details: BigCommerceErrorDetails) {
    const { status, title, context, hint } = details;
    const message = details.message ?? `BigCommerce ${context.method} ${context.path} answered ${status || 'nothing'}: ${title}`;
    super(hint ? `${message} — ${hint}` : message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = status;
    this.title = title;
    this.errors = details.errors ?? {};
    this.method = context.method;
    this.path = context.path;
  }
}

/** 401: the token is missing, wrong or revoked. */
export class UnauthorizedError extends BigCommerceError {}

/** 403: the token lacks the OAuth scope this call needs. */
export class ForbiddenError extends BigCommerceError {}

export class NotFoundError extends BigCommerceError {}

/** 409: a duplicate name or SKU, a missing category or brand, not enough stock. */
export class ConflictError extends BigCommerceError {}

/** 422 (and 400): the body was refused; `errors` names the fields. */
export class ValidationError extends BigCommerceError {}

/** 413: too many items in a batch, or a page limit above 250. */
export class PayloadTooLargeError extends BigCommerceError {}

/** 429 after every retry: the store's API quota stayed exhausted. */
export class RateLimitedError extends BigCommerceError {
  override readonly retryable = true;
  /** How long BigCommerce asked to wait, in milliseconds, when it said. */
  retryAfterMs: number | undefined;
  /** Not sent by work that can wait: what is left of the window is kept for the calls that keep stock right. */
  keptForStock = false;
}

/** 5xx after every retry. */
export class ServerError extends BigCommerceError {
  override readonly retryable = true;
}

/** No answer (connection refused or reset, timeout) after every retry. */
export class NetworkError extends BigCommerceError {
  override readonly retryable = true;
}

/**
 * 207: part of the write was saved and part was not. Thrown rather than returned so that a partial
 * write is never mistaken for a complete one; `data` holds what BigCommerce did save.
 */
export class PartialSuccessError extends BigCommerceError {
  data: unknown;
}

/** Thrown before any request when a batch call is given more items than BigCommerce takes. */
export class BatchTooLargeError extends RangeError {
  constructor(call: string, limit: number, given: number, instead: string) {
    super(`${call} takes at most ${limit} items per request (BigCommerce's limit); got ${given}. Use ${instead} to send them in chunks.`);
    this.name = 'BatchTooLargeError';
  }
}

const HINTS: Record<number, string> = {
  401: "the store's access token is invalid or was revoked; the merchant must reinstall the app",
  403: "the app's token lacks the OAuth scope this call needs; add the scope to the app in the BigCommerce Developer Portal and have the merchant re-authorise it",
};

/** Turns a failed answer (status ≥ 400, or 207) into the matching error. */
export function errorFromResponse(status: number, body: unknown, context: RequestContext): BigCommerceError {
  const { title, errors } = describeBody(status, body);
  const hint = HINTS[status];
  const make = (Type: typeof BigCommerceError) => new Type({ status, title, errors, context, hint });
  if (status === 207) {
    const error = make(PartialSuccessError) as PartialSuccessError;
    error.data = (body as { data?: unknown } | undefined)?.data;
    return error;
  }
  if (status === 401) return make(UnauthorizedError);
  if (status === 403) return make(ForbiddenError);
  if (status === 404) return make(NotFoundError);
  if (status === 409) return make(ConflictError);
  if (status === 400 || status === 422) return make(ValidationError);
  if (status === 413) return make(PayloadTooLargeError);
  if (status === 429) return make(RateLimitedError);
  if (status >= 500) return make(ServerError);
  return make(BigCommerceError);
}

type ErrorBody = { title?: unknown; message?: unknown; errors?: unknown; batch_errors?: unknown };

/**
 * v3 errors are `{ status, title, errors? }` (207 nests them under `errors`; the variants batch sends
 * `batch_errors`); v2 errors are an array of `{ status, message, details? }`.
 */
function describeBody(status: number, body: unknown): { title: string; errors: Record<string, unknown> } {
  if (Array.isArray(body)) {
    const messages = body.map((entry: ErrorBody) => (typeof entry?.message === 'string' ? entry.message : '')).filter(Boolean);
    const details = body.map((entry: { details?: unknown }) => entry?.details).filter((d) => d !== undefined);
    return { title: messages.join('; ') || `HTTP ${status}`, errors: details.length > 0 ? { details } : {} };
  }
  if (body && typeof body === 'object') {
    const b = body as ErrorBody;
    // A 207 carries its failure one level down: { data, errors: { status, title, errors } }.
    const inner = status === 207 && isObject(b.errors) ? (b.errors as ErrorBody) : b;
    const title = typeof inner.title === 'string' ? inner.title : typeof inner.message === 'string' ? inner.message : `HTTP ${status}`;
    const errors: Record<string, unknown> = isObject(inner.errors) ? { ...(inner.errors as object) } : {};
    if (Array.isArray(b.batch_errors)) errors.batch_errors = b.batch_errors;
    return { title, errors };
  }
  if (typeof body === 'string' && body.trim()) return { title: body.trim().slice(0, 200), errors: {} };
  return { title: `HTTP ${status}`, errors: {} };
}

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The store cannot be called: it never installed the app, or uninstalled it (its token is erased). One
 * type on every path: a store job fails with this message, a worker job ends as `store-not-installed`, a
 * webhook event is ignored, a page answers with its status.
 */
export class StoreNotConnectedError extends AppError {
  constructor(
    readonly storeHash: string,
    readonly reason: 'not-installed' | 'uninstalled',
  ) {
    super(
      reason === 'not-installed' ? 'not_found' : 'conflict',
      reason === 'not-installed'
        ? `The store ${storeHash} has not installed BackOrder. Install it from the store's Apps menu.`
        : `BackOrder was uninstalled from the store ${storeHash}. Install it again from the store's Apps menu.`,
    );
    this.name = 'StoreNotConnectedError';
  }
}
