/** Request ids and one log line per request, without credentials in URLs or headers. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { redactUrl, type Logger } from '../logger.ts';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Keeps a caller's X-Request-Id when it is sane, otherwise makes one; echoes it on the response. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Says which store this request is about, once known (the admin session, the storefront API's path, a
 * verified callback): its request line, and every line its own logger (`req.log`) writes from here on,
 * carry the store's hash.
 */
export function requestIsAbout(res: ServerResponse, storeHash: string): void {
  const locals = ((res as StoreRes).locals ??= {});
  if (locals.storeHash === storeHash) return;
  locals.storeHash = storeHash;
  const req = res.req as IncomingMessage & { log?: Logger };
  if (req.log) req.log = req.log.child({ storeHash });
}

type StoreRes = ServerResponse & { locals?: { storeHash?: string } };

const storeOf = (res: ServerResponse) => {
  const storeHash = (res as Partial<StoreRes>).locals?.storeHash;
  return storeHash ? { storeHash } : {};
};

/** Request ids and one line per request (its store's hash when known). */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Health probes and scrapes every few seconds would drown everything else.
    autoLogging: { ignore: (req) => PROBES.has(req.url ?? '') },
    // The request's line carries its store's hash, once a middleware or route has said which (requestIsAbout).
    customSuccessObject: (_req, res, line: object) => ({ ...line, ...storeOf(res) }),
    customErrorObject: (_req, res, _error, line: object) => ({ ...line, ...storeOf(res) }),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
