/**
 * A store's API quota is shared by every client of the store (§2.5: e.g. 150 requests per 30 s window),
 * so every worker of a deployment must draw from one budget. The budget is what BigCommerce last reported
 * in its `X-Rate-Limit-*` headers; each request takes one unit before it is sent, and when none is left
 * the request waits for the window to reset. Where the budget lives is the caller's choice: in memory
 * (one process) or in Redis (`redis-rate-limit-state.ts`, many processes).
 */

/** One store's budget as BigCommerce reported it, with the reset made absolute. */
export interface RateLimitWindow {
  /** Requests left in the current window. */
  remaining: number;
  /** Requests per window; 0 when unknown. */
  quota: number;
  /** Window length in milliseconds; 0 when unknown. */
  windowMs: number;
  /** Epoch milliseconds at which the window refreshes. */
  resetAt: number;
}

/**
 * The share of each window's quota that background work (order notes, catalog syncs, reconciliation) leaves
 * to the calls that keep stock and selling right (order reads, level reads, selling writes): a sync that
 * spends a Standard plan's window must not make an order's stock change or a stop of selling wait for the next.
 */
export const LEFT_FOR_STOCK = 0.2;

/** Whose call takes a unit: the stock's own, or background work, which leaves the window's last LEFT_FOR_STOCK. */
export type CallPriority = 'stock' | 'background';

/** The share of the quota a call of `priority` must leave untaken. */
export const shareLeft = (priority: CallPriority) => (priority === 'background' ? LEFT_FOR_STOCK : 0);

/** Shared budget per store. Implementations must make `reserve` atomic across their users. */
export interface RateLimitState {
  /**
   * Takes one request from the store's budget: 0 means send now, otherwise the ms to wait before asking
   * again. A background call takes none of the window's last `floor(quota × LEFT_FOR_STOCK)` units: it
   * waits for the reset instead.
   */
  reserve(storeHash: string, now: number, priority?: CallPriority): Promise<number>;
  /**
   * Records the budget BigCommerce just reported (or, after a 429, the pause it asked for), keeping the
   * smaller count within one window (`mergeWindow`).
   */
  update(storeHash: string, window: RateLimitWindow): Promise<void>;
}

/** Reads the four rate-limit headers; `X-Rate-Limit-Time-Reset-Ms` is already milliseconds. */
export function readRateLimitHeaders(headers: Headers, now: number): RateLimitWindow | undefined {
  const remaining = numberHeader(headers, 'x-rate-limit-requests-left');
  const resetMs = numberHeader(headers, 'x-rate-limit-time-reset-ms');
  if (remaining === undefined || resetMs === undefined) return undefined;
  return {
    remaining,
    quota: numberHeader(headers, 'x-rate-limit-requests-quota') ?? 0,
    windowMs: numberHeader(headers, 'x-rate-limit-time-window-ms') ?? 0,
    resetAt: now + resetMs,
  };
}

/** How long a 429 asks to wait, in ms: the reset time, else `X-Retry-After` (seconds); undefined when neither is sent. */
export function retryAfterMs(headers: Headers): number | undefined {
  const resetMs = numberHeader(headers, 'x-rate-limit-time-reset-ms');
  if (resetMs !== undefined) return resetMs;
  const seconds = numberHeader(headers, 'x-retry-after') ?? numberHeader(headers, 'retry-after');
  return seconds === undefined ? undefined : seconds * 1000;
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/**
 * The budget once `now` has passed its reset: windows are fixed, so the next one starts where the last
 * ended, full. Undefined when the quota is unknown (nothing to hold back on).
 */
export function currentWindow(window: RateLimitWindow, now: number): RateLimitWindow | undefined {
  if (window.resetAt > now) return window;
  if (window.quota <= 0 || window.windowMs <= 0) return undefined;
  const periods = Math.floor((now - window.resetAt) / window.windowMs) + 1;
  return { ...window, remaining: window.quota, resetAt: window.resetAt + periods * window.windowMs };
}

/**
 * The budget to keep when BigCommerce reports one. An answer's Requests-Left was counted when BigCommerce
 * took that request: units reserved here since (for requests still on their way) are not in it. So within
 * the same window the smaller of the two counts stands; a report of a later window replaces the budget.
 * Two reports are of the same window when their resets are less than half a window apart (a second
 * without a known window length): the reset BigCommerce reports moves only by the answer's latency.
 */
export function mergeWindow(stored: RateLimitWindow | undefined, reported: RateLimitWindow): RateLimitWindow {
  if (!stored || !sameWindow(stored, reported)) return reported;
  return { ...reported, remaining: Math.min(stored.remaining, reported.remaining) };
}

/** Half a window (or a second when its length is unknown): how far two resets of one window may differ. */
export function sameWindowToleranceMs(windowMs: number): number {
  return windowMs > 0 ? windowMs / 2 : 1_000;
}

function sameWindow(stored: RateLimitWindow, reported: RateLimitWindow): boolean {
  return reported.resetAt < stored.resetAt + sameWindowToleranceMs(reported.windowMs);
}

/** The budget in this process's memory: right for one process, or for tests. */
export class MemoryRateLimitState implements RateLimitState {
  private readonly windows = new Map<string, RateLimitWindow>();

  async reserve(storeHash: string, now: number, priority: CallPriority = 'stock'): Promise<number> {
    const stored = this.windows.get(storeHash);
    const window = stored && currentWindow(stored, now);
    if (!window) {
      this.windows.delete(storeHash);
      return 0;
    }
    if (window.remaining > Math.floor(window.quota * shareLeft(priority))) {
      this.windows.set(storeHash, { ...window, remaining: window.remaining - 1 });
      return 0;
    }
    this.windows.set(storeHash, window);
    return window.resetAt - now;
  }

  async update(storeHash: string, window: RateLimitWindow): Promise<void> {
    this.windows.set(storeHash, mergeWindow(this.windows.get(storeHash), window));
  }

  /** The stored budget, for tests and diagnostics. */
  peek(storeHash: string): RateLimitWindow | undefined {
    return this.windows.get(storeHash);
  }
}

/** One budget per store for every client in this process that is not given a state of its own. */
export const processRateLimitState = new MemoryRateLimitState();
