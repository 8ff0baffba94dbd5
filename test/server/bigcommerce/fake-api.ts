/**
 * A small local HTTP server standing in for api.bigcommerce.com inside one test: it records every request
 * (arrival time included) and answers what the test's handler says.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { listen } from '../../helpers/http.ts';

export interface Recorded {
  method: string;
  /** The path without the query. */
  path: string;
  /** The raw query string, without `?`. */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Drop the connection without answering. */
  hangUp?: boolean;
  /** Never answer. */
  silent?: boolean;
}

export interface FakeApi {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function fakeApi(handler: (request: Recorded, index: number) => Reply | Promise<Reply>): Promise<FakeApi> {
  const requests: Recorded[] = [];
  const server = await listen(async (req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const [path = '', rawQuery = ''] = (req.url ?? '').split('?');
    const recorded: Recorded = {
      method: req.method ?? 'GET',
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      at,
    };
    requests.push(recorded);
    const reply = await handler(recorded, requests.length - 1);
    if (reply.hangUp) {
      req.socket.destroy();
      return;
    }
    if (reply.silent) return;
    const status = reply.status ?? 200;
    res.writeHead(status, { ...(reply.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...reply.headers });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  });
  return { url: server.url, requests, close: () => server.close() };
}

/** A v3 page of `items` for the request's `page` and `limit`, with BigCommerce's pagination meta. */
export function v3PageOf<T>(items: T[], request: Recorded): Reply {
  const limit = Number(request.query.get('limit') ?? 50);
  const page = Number(request.query.get('page') ?? 1);
  const data = items.slice((page - 1) * limit, page * limit);
  const totalPages = Math.max(1, Math.ceil(items.length / limit));
  return {
    body: {
      data,
      meta: {
        pagination: {
          total: items.length,
          count: data.length,
          per_page: limit,
          current_page: page,
          total_pages: totalPages,
          links: { current: `?page=${page}&limit=${limit}`, ...(page < totalPages ? { next: `?page=${page + 1}&limit=${limit}` } : {}) },
        },
      },
    },
  };
}

/** A v2 page: bare JSON, or 204 with no body when the page is empty. */
export function v2PageOf<T>(items: T[], request: Recorded): Reply {
  const limit = Number(request.query.get('limit') ?? 50);
  const page = Number(request.query.get('page') ?? 1);
  const data = items.slice((page - 1) * limit, page * limit);
  return data.length === 0 ? { status: 204 } : { body: data };
}

export const rateLimitHeaders = (left: number, resetMs: number, quota = 150, windowMs = 30_000) => ({
  'X-Rate-Limit-Requests-Left': String(left),
  'X-Rate-Limit-Time-Reset-Ms': String(resetMs),
  'X-Rate-Limit-Requests-Quota': String(quota),
  'X-Rate-Limit-Time-Window-Ms': String(windowMs),
});
