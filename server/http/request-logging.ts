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

export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: requestId,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Health probes and scrapes every few seconds would drown everything else.
    autoLogging: { ignore: (req) => PROBES.has(req.url ?? '') },
    // A line about a store's admin carries the store's hash (set by the admin session once it is read).
    customProps: (_req, res) => {
      const storeHash = (res as { locals?: { admin?: { storeHash?: string } } }).locals?.admin?.storeHash;
      return storeHash ? { storeHash } : {};
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
