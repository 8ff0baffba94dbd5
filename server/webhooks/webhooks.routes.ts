/**
 * `POST /webhooks/bigcommerce`: the only route BigCommerce posts events to, and the busiest. It is served
 * ahead of Express (`webhookRoute`, a middleware that `createApp` runs before handing a request to Express):
 * Express's request set-up and router walk cost a delivery more than verifying and recording it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { observeRequest } from '../http/request-metrics.ts';
import { WEBHOOK_PATH } from '../registration/registration.service.ts';
import { webhookReceiver, type ReceiveDeps, type ReceiveOutcome } from './webhooks.service.ts';

/** The largest delivery taken; BigCommerce's are a few hundred bytes. */
const LIMIT_BYTES = 1024 * 1024;

/** A middleware: takes the webhook route's requests, passes on every other. Express can mount it too. */
export type WebhookRoute = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface WebhookRouteOptions extends ReceiveDeps {
  /** Behind a load balancer or HTTPS proxy (one hop), the client's address is the last X-Forwarded-For entry. */
  trustProxy?: boolean;
}

export function webhookRoute(deps: WebhookRouteOptions): WebhookRoute {
  const receiveDelivery = webhookReceiver(deps);
  // Anything framed otherwise (chunked, compressed, longer than the limit) goes through Express's parser,
  // which knows every framing. Verification needs the exact bytes BigCommerce signed: no JSON parsing first.
  const parseRaw = express.raw({ type: () => true, limit: LIMIT_BYTES });

  const receive = async (req: IncomingMessage, res: ServerResponse, body: Buffer, started: bigint) => {
    const outcome = await receiveDelivery(body, req.headers);
    if (outcome.status === 400 || outcome.status === 401) {
      const about = 'storeHash' in outcome ? { storeHash: outcome.storeHash } : {};
      deps.logger.warn({ ...about, status: outcome.status, ip: clientIp(req, deps.trustProxy) }, outcome.reason);
    }
    send(res, started, outcome.status, outcome.status === 200 ? { received: true } : { error: outcome.reason }, retryAfter(outcome));
  };
  const answer = (req: IncomingMessage, res: ServerResponse, body: Buffer, started: bigint) =>
    void receive(req, res, body, started).catch((error: unknown) => failed(res, started, error));
  // A bug, not a delivery's fault: logged in full; BigCommerce retries the 500.
  const failed = (res: ServerResponse, started: bigint, error: unknown) => {
    deps.logger.error({ err: error }, 'webhook delivery failed');
    send(res, started, 500, { error: 'Something went wrong on our side; please retry.' });
  };

  return (req, res, next) => {
    if (req.method !== 'POST' || req.url !== WEBHOOK_PATH) return next();
    const started = process.hrtime.bigint();
    const length = plainLength(req);
    if (length !== undefined) {
      // BigCommerce's framing: Node's parser guarantees exactly `length` bytes, or the request aborts.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.once('end', () => answer(req, res, Buffer.concat(chunks, length), started));
      return;
    }
    parseRaw(req as express.Request, res as express.Response, (error?: unknown) => {
      if (!error) {
        const body = (req as { body?: unknown }).body;
        return answer(req, res, Buffer.isBuffer(body) ? body : Buffer.alloc(0), started);
      }
      const { status, type } = error as { status?: unknown; type?: unknown };
      if (typeof status !== 'number' || status < 400 || status >= 500) return failed(res, started, error);
      // Too large, an unknown encoding, cut short: the delivery's fault, named.
      send(res, started, status, {
        error: type === 'entity.too.large' ? `The delivery is larger than ${LIMIT_BYTES} bytes.` : 'The delivery could not be read.',
      });
    });
  };
}

/** The body's length when the delivery is framed as BigCommerce frames it: a Content-Length, no encodings. */
function plainLength(req: IncomingMessage): number | undefined {
  const { 'content-length': declared, 'content-encoding': encoding, 'transfer-encoding': transfer } = req.headers;
  if (transfer !== undefined || (encoding !== undefined && encoding !== 'identity') || declared === undefined || !/^\d{1,7}$/.test(declared)) return undefined;
  const length = Number(declared);
  return length <= LIMIT_BYTES ? length : undefined;
}

const retryAfter = (outcome: ReceiveOutcome): Record<string, string> => (outcome.status === 503 ? { 'retry-after': '30' } : {});

function send(res: ServerResponse, started: bigint, status: number, body: object, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
  observeRequest('POST', WEBHOOK_PATH, status, started);
}

function clientIp(req: IncomingMessage, trustProxy = false): string | undefined {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = typeof forwarded === 'string' ? forwarded.split(',').pop()?.trim() : undefined;
  return last || req.socket.remoteAddress;
}
