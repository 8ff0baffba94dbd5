/**
 * The `apiFault` switch at work: while its spell lasts, the store's API answers 500, or 429 with the
 * headers BigCommerce sends when the store's quota is spent (ref §2.5), its reset at most one window away.
 */
import { BcError } from './api-error.ts';
import type { Switches } from './switches.ts';

/** The error every API request of the store gets now, or undefined when no fault is on. */
export function apiFaultError(switches: Partial<Switches>, now: number, windowMs: number): BcError | undefined {
  const { apiFault = 'none', apiFaultUntil = 0 } = switches;
  if (apiFault === 'none' || (apiFaultUntil > 0 && now >= apiFaultUntil)) return undefined;
  if (apiFault === '500') return new BcError(500, 'Internal Server Error');
  const resetMs = apiFaultUntil > 0 ? Math.min(windowMs, apiFaultUntil - now) : windowMs;
  return new BcError(429, 'Too many requests: the API quota of this store is spent until the window resets.', {
    headers: {
      'X-Rate-Limit-Requests-Left': '0',
      'X-Rate-Limit-Time-Reset-Ms': String(resetMs),
      'X-Rate-Limit-Time-Window-Ms': String(windowMs),
      'X-Retry-After': String(Math.max(1, Math.ceil(resetMs / 1000))),
    },
  });
}
