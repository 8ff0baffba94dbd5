/**
 * The one error handler. AppErrors carry their own status and a message meant for people; anything
 * else is a bug: logged in full, answered with a generic message and the request id to quote.
 * Admin requests get an HTML page; API, webhook and storefront requests get JSON.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/** Maps errors raised by Express's own middleware (body parsing) to AppErrors. */
function asAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large.');
  if (type === 'entity.parse.failed') return new AppError('bad_request', 'The request body is not valid JSON.');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('bad_request', 'The request could not be understood.');
  }
  return undefined;
}

const JSON_PATHS = /^\/(api|webhooks|storefront-api|healthz)(\/|$)/;

/** JSON for machines, HTML for people in the admin. */
export function wantsJson(req: Request): boolean {
  return JSON_PATHS.test(req.path) || req.accepts(['html', 'json']) === 'json';
}

export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const appError = asAppError(error);
  const requestId = String(req.id ?? '');
  if (!appError || appError.kind === 'internal') req.log.error({ err: error }, 'request failed');

  const status = appError?.status ?? 500;
  const message = appError && appError.kind !== 'internal' ? appError.message : 'Something went wrong on our side.';
  const problems = appError?.details.problems ?? [];
  if (appError?.details.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(appError.details.retryAfterSeconds));

  if (wantsJson(req)) {
    res.status(status).json({ error: { kind: appError?.kind ?? 'internal', message, problems, requestId } });
    return;
  }
  res.status(status).render('pages/error', { title: titleFor(status), status, message, problems, requestId }, (renderError, html) => {
    if (renderError) {
      req.log.error({ err: renderError }, 'error page failed to render');
      res.type('text/plain').send(`${message}\nReference: ${requestId}`);
      return;
    }
    res.send(html);
  });
};

function titleFor(status: number): string {
  if (status === 401) return 'Please open the app from your BigCommerce control panel';
  if (status === 403) return 'Not allowed';
  if (status === 404) return 'Page not found';
  if (status < 500) return 'That did not work';
  return 'Something went wrong';
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `Nothing is at ${req.method} ${req.path}.`));
};
