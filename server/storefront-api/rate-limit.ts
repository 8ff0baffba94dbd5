/**
 * A per-client budget for the public storefront API, kept in the process: a fixed window per client
 * address. It protects the API from a runaway script or a scraper; a shopper's page view costs one request.
 */
export interface ClientBudget {
  /** undefined when allowed; otherwise the seconds until the window resets. */
  take(client: string): number | undefined;
}

export function clientBudget(options: { perWindow: number; windowMs: number; now?: () => number }): ClientBudget {
  const now = options.now ?? Date.now;
  let windowStart = now();
  let counts = new Map<string, number>();
  return {
    take(client) {
      const time = now();
      if (time - windowStart >= options.windowMs) {
        windowStart = time;
        counts = new Map();
      }
      const used = (counts.get(client) ?? 0) + 1;
      counts.set(client, used);
      return used > options.perWindow ? Math.ceil((windowStart + options.windowMs - time) / 1000) : undefined;
    },
  };
}
