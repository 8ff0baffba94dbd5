/**
 * Business rules throw AppError(kind); one map turns a kind into an HTTP status. A subclass exists only
 * where callers branch on it.
 */
export type ErrorKind =
  'bad_request' | 'validation' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'payload_too_large' | 'rate_limited' | 'unavailable' | 'internal';

export const statusByKind: Record<ErrorKind, number> = {
  bad_request: 400,
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** A problem with one field or row, shown to whoever sent the input. */
export interface FieldProblem {
  /** The field, column or `line 12, column sku` the problem is in. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: { problems?: FieldProblem[]; retryAfterSeconds?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get status(): number {
    return statusByKind[this.kind];
  }
}

/** Input that failed validation: every problem at once, never only the first. */
export function validationError(message: string, problems: FieldProblem[]): AppError {
  return new AppError('validation', message, { problems });
}

/** What was thrown, as an Error (a thrown string or object wrapped). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * A service the process needs (PostgreSQL, Redis) did not answer as it started. Its message names the
 * setting to check; it is printed alone, without a stack, as a configuration error is.
 */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/** A service's URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
