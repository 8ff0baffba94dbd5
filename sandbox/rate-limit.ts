/**
 * Per-store request quota refreshed every window (ref §2.5): one request = one unit, shared by every client
 * of the store. Every answer carries the four headers; an exhausted window answers 429 with X-Retry-After.
 */
export interface RateLimitOptions {
  /** Requests per window; 0 = unlimited. */
  quota: number;
  windowMs: number;
}

/** What the headers say when the quota is unlimited. */
const UNLIMITED = 2_147_483_647;

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; used: number }>();

  constructor(
    public options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `storeHash` when `consume`; answers whether it may go on, with the headers. */
  take(storeHash: string, consume = true): RateDecision {
    const { quota, windowMs } = this.options;
    const now = this.now();
    let window = this.windows.get(storeHash);
    if (!window || now >= window.startedAt + windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(storeHash, window);
    }
    const resetMs = Math.max(0, window.startedAt + windowMs - now);
    const limited = quota > 0;
    const allowed = !limited || !consume || window.used < quota;
    if (allowed && consume) window.used++;
    const headers: Record<string, string> = {
      'X-Rate-Limit-Time-Window-Ms': String(windowMs),
      'X-Rate-Limit-Time-Reset-Ms': String(resetMs),
      'X-Rate-Limit-Requests-Quota': String(limited ? quota : UNLIMITED),
      'X-Rate-Limit-Requests-Left': String(limited ? Math.max(0, quota - window.used) : UNLIMITED),
    };
    if (!allowed) headers['X-Retry-After'] = String(Math.max(1, Math.ceil(resetMs / 1000)));
    return { allowed, headers };
  }

  /** Forgets a store's window (the quota changed). */
  reset(storeHash?: string): void {
    if (storeHash === undefined) this.windows.clear();
    else this.windows.delete(storeHash);
  }
}
