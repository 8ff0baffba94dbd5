/**
 * The operator's door: `/metrics` and the operator pages answer only to the token in OPERATOR_TOKEN, sent
 * as `Authorization: Bearer <token>` (Prometheus's `authorization` setting) or, from a browser, as the
 * password of Basic authentication (any user name). Without a configured token they refuse everyone.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The token a request carries, from a Bearer or a Basic Authorization header. */
function presentedToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/** Whether a request carries the operator token (never, without a configured token). */
export function carriesOperatorToken(token: string | undefined): (req: Request) => boolean {
  const expected = token === undefined ? undefined : digest(token);
  return (req) => {
    const given = presentedToken(req.headers.authorization);
    return expected !== undefined && given !== undefined && timingSafeEqual(digest(given), expected);
  };
}

/** Middleware that lets through only requests carrying the operator token. */
export function requireOperatorToken(token: string | undefined) {
  const carries = carriesOperatorToken(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set('Cache-Control', 'no-store');
    if (token === undefined) {
      res.status(403).type('text/plain').send('The operator pages and /metrics are off: set OPERATOR_TOKEN to turn them on.');
      return;
    }
    if (carries(req)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="backorder operator", charset="UTF-8"')
      .type('text/plain')
      .send('The operator token is missing or wrong: send it as a Bearer token, or as the password when the browser asks.');
  };
}
