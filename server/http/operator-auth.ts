/**
 * The operator's door: `/metrics` and the operator pages answer only to the token in OPERATOR_TOKEN, sent
 * as `Authorization: Bearer <token>` (Prometheus's `authorization` setting) or, from a browser, as the
 * password of Basic authentication (any user name). Without a configured token they refuse everyone. A
 * client address that sent too many wrong tokens is refused for a while (operator-throttle.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { FAILURES_ALLOWED, WINDOW_SECONDS, type OperatorThrottle } from './operator-throttle.ts';

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

/** What checking a request's operator token found. */
export type OperatorCheck =
  { ok: true } | { ok: false; reason: 'off' | 'missing' | 'wrong' } | { ok: false; reason: 'throttled'; client: string; retryAfterSeconds: number };

/**
 * Checks the operator token a request carries (never right without a configured token). A wrong one counts
 * against the client's address (`req.ip`: as TRUST_PROXY says), counted before the comparison (see
 * `attempt`); an address past its failures is not checked.
 * A request that carries none guesses nothing: it is neither counted nor looked up (a browser's first request,
 * a load balancer's probe).
 */
export function operatorCheck(token: string | undefined, throttle: OperatorThrottle): (req: Request) => Promise<OperatorCheck> {
  const expected = token === undefined ? undefined : digest(token);
  return async (req) => {
    if (expected === undefined) return { ok: false, reason: 'off' };
    const given = presentedToken(req.headers.authorization);
    if (given === undefined) return { ok: false, reason: 'missing' };
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = await throttle.attempt(client);
    if (wait !== undefined) return { ok: false, reason: 'throttled', client, retryAfterSeconds: wait };
    if (!timingSafeEqual(digest(given), expected)) return { ok: false, reason: 'wrong' };
    await throttle.succeeded(client);
    return { ok: true };
  };
}

/** "14 minutes", "40 seconds": a wait as the refusal says it. */
function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Middleware that lets through only requests carrying the operator token. */
export function requireOperatorToken(token: string | undefined, throttle: OperatorThrottle) {
  const check = operatorCheck(token, throttle);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    res.set('Cache-Control', 'no-store');
    const checked = await check(req);
    if (checked.ok) return next();
    res.type('text/plain');
    if (checked.reason === 'off') {
      res.status(403).send('The operator pages and /metrics are off: set OPERATOR_TOKEN to turn them on.');
    } else if (checked.reason === 'throttled') {
      const at = new Date(Date.now() + checked.retryAfterSeconds * 1000).toISOString().slice(11, 16);
      res
        .status(429)
        .set('Retry-After', String(checked.retryAfterSeconds))
        .send(
          `Too many wrong operator tokens from your address (${checked.client}): ${FAILURES_ALLOWED} within ${WINDOW_SECONDS / 60} minutes. ` +
            `Try again in ${waitInWords(checked.retryAfterSeconds)} (after ${at} UTC); until then no token is checked from it, the right one included.`,
        );
    } else {
      res
        .status(401)
        .set('WWW-Authenticate', 'Basic realm="backorder operator", charset="UTF-8"')
        .send('The operator token is missing or wrong: send it as a Bearer token, or as the password when the browser asks.');
    }
  };
}
