/**
 * HTTP latency by route: the route's pattern (`/admin/products/:id`), never the URL itself, so that ids
 * do not make a label each. A request no route took (a static file, a 404) counts under `unmatched`.
 */
import type { NextFunction, Request, Response } from 'express';
import { httpRequestDuration } from '../metrics/metrics.ts';

/** Records one answered request, timed from `started` (process.hrtime.bigint()). */
export function observeRequest(method: string, route: string, status: number, started: bigint): void {
  httpRequestDuration.observe({ method, route, status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
}

/** Times every request to its last byte and records it by method, route pattern and status. */
export function requestMetrics(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    observeRequest(req.method, typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched', res.statusCode, started);
  });
  next();
}
