/**
 * An error BigCommerce would answer, thrown by the store model and the routes alike; the server writes it
 * as v3 `{status, title, type, errors}` or v2 `[{status, message}]` by the path it answers (ref §2.3).
 */
export const STATUS_CODES_TYPE = 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes';

export const NOT_FOUND = 'The requested resource was not found.';

export class BcError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly extra: {
      /** v3 `errors`: field → message. */
      errors?: Record<string, string>;
      /** v2 `details`. */
      details?: unknown;
      /** A v3 body that is not the usual error shape (variants batch: `batch_errors`). */
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(title);
    this.name = 'BcError';
  }
}

/** The v3 error body (ref §2.3). */
export function v3ErrorBody(error: BcError): unknown {
  if (error.extra.body !== undefined) return error.extra.body;
  return {
    status: error.status,
    title: error.title,
    type: STATUS_CODES_TYPE,
    ...(error.extra.errors ? { errors: error.extra.errors } : {}),
  };
}

/** The v2 error body: an array (ref §2.3). */
export function v2ErrorBody(error: BcError): unknown {
  return [{ status: error.status, message: error.title, ...(error.extra.details ? { details: error.extra.details } : {}) }];
}

/** 422 naming the fields, as v3 answers missing or invalid data (ref §2.3). */
export function invalid(errors: Record<string, string>, title = 'JSON data is missing or invalid'): BcError {
  return new BcError(422, title, { errors });
}

export function notFound(title = NOT_FOUND): BcError {
  return new BcError(404, title);
}
