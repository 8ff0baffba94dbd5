/**
 * `GET /storefront-api/v1/stores/:storeHash/availability?products=12,34` — public, read-only, called once
 * per page view by the storefront loader. Mounted ahead of the app's other middleware: it needs none of
 * it, and it is the hottest path the app serves.
 */
import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import type { Db } from '../db/database.ts';
import { requestIsAbout } from '../http/request-logging.ts';
import { idFrom, INT_MAX } from '../http/route-ids.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis.ts';
import { MAX_PRODUCTS_PER_REQUEST } from '../../storefront/src/contract/storefront-api.ts';
import type { AvailabilityCache } from './availability-cache.ts';
import { buildAvailabilityAnswer } from './availability.service.ts';
import { clientBudget } from './rate-limit.ts';

const STORE_HASH = /^[a-z0-9]{1,32}$/;
const MAX_AGE_S = 15;
const STALE_S = 60;
const CACHE_CONTROL = `public, max-age=${MAX_AGE_S}, stale-while-revalidate=${STALE_S}`;

/** Browsers and CDNs may keep an answer for a moment, never past its end (the store's day, for its dates). */
function cacheControlUntil(expiresAt: number, now = Date.now()): string {
  const left = Math.floor((expiresAt - now) / 1000);
  if (left >= MAX_AGE_S + STALE_S) return CACHE_CONTROL;
  const maxAge = Math.max(0, Math.min(MAX_AGE_S, left));
  return `public, max-age=${maxAge}, stale-while-revalidate=${Math.max(0, left - maxAge)}`;
}

/** The `products` parameter as sorted unique ids, or the reason it is malformed. */
export function parseProductIds(value: unknown): { ids: number[] } | { error: string } {
  if (value === undefined || value === '') return { ids: [] };
  if (typeof value !== 'string') return { error: 'products: give one list of product ids, e.g. products=12,34' };
  const parts = value.split(',').map((part) => idFrom(part));
  if (parts.some((id) => id === undefined)) return { error: `products: every id must be a whole number from 1 to ${INT_MAX}` };
  const ids = [...new Set(parts as number[])].sort((a, b) => a - b);
  if (ids.length > MAX_PRODUCTS_PER_REQUEST) return { error: `products: at most ${MAX_PRODUCTS_PER_REQUEST} ids per request` };
  return { ids };
}

function publicHeaders(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  // The loader waits what a 429 asks before its one retry; a cross-origin script reads only exposed headers.
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

export function storefrontApiRoutes(deps: { db: Db; cache: AvailabilityCache; logger: Logger; redis: Redis; prefix: string; perMinute?: number }): Router {
  const router = Router();
  const budget = clientBudget({ redis: deps.redis, prefix: deps.prefix, perWindow: deps.perMinute ?? 600, windowSeconds: 60, logger: deps.logger });

  router.get('/storefront-api/v1/stores/:storeHash/availability', async (req, res) => {
    publicHeaders(res);
    const storeHash = req.params.storeHash.toLowerCase();
    if (STORE_HASH.test(storeHash)) requestIsAbout(res, storeHash);
    const retryAfter = budget.take(req.ip ?? 'unknown');
    if (retryAfter !== undefined) {
      res.setHeader('Retry-After', String(retryAfter));
      res.status(429).json({ error: `Too many requests from this address; try again in ${retryAfter} s.` });
      return;
    }
    const parsed = parseProductIds(req.query.products);
    // A malformed question gets the same answer every time: caches may keep it like any other.
    if ('error' in parsed) {
      res.setHeader('Cache-Control', CACHE_CONTROL).status(400).json({ error: parsed.error });
      return;
    }
    if (!STORE_HASH.test(storeHash)) {
      res.setHeader('Cache-Control', CACHE_CONTROL).status(400).json({ error: 'storeHash: not a store hash' });
      return;
    }
    try {
      const key = parsed.ids.join(',');
      const answer =
        deps.cache.peek(storeHash, key) ??
        (await deps.cache.get(storeHash, key, async () => {
          const built = await buildAvailabilityAnswer(deps.db, storeHash, parsed.ids);
          const body = JSON.stringify(built.answer);
          return {
            body,
            etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`,
            expiresAt: built.validUntil ?? Number.MAX_SAFE_INTEGER,
            kept: !built.noStore,
          };
        }));
      res.setHeader('Cache-Control', cacheControlUntil(answer.expiresAt));
      res.setHeader('ETag', answer.etag);
      if (req.headers['if-none-match'] === answer.etag) {
        res.status(304).end();
        return;
      }
      // The body is ready JSON: Node sets its length; Express's send would only re-check what is set here.
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(answer.body);
    } catch (error) {
      deps.logger.error({ err: error, storeHash }, 'storefront availability failed');
      res.setHeader('Cache-Control', 'no-store');
      res.status(503).json({ error: 'Availability is unavailable right now; the page works without it.' });
    }
  });
  return router;
}
