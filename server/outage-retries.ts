/**
 * Tries that wait out a BigCommerce outage. Work whose loss leaves the store wrong until the nightly reconcile
 * (a webhook event's stock change, a selling check) must not give up after the 2 minutes or so the queues'
 * default tries last: it backs off from 1 s to at most 5 minutes between tries, 20 tries in all, so it waits
 * out an outage of half an hour to an hour, at about 20 tries' worth of BigCommerce calls. A queue's jobs take
 * `OUTAGE_RETRIES` as options and its worker `outageRetryDelay` as its backoff strategy.
 */
export const OUTAGE_RETRIES = { attempts: 20, backoff: { type: 'outage' } } as const;

/** The delay before the next try, after `attemptsMade` tries: doubling from 1 s, at most 5 minutes, jittered. */
export function outageRetryDelay(attemptsMade: number, random = Math.random): number {
  const ceiling = Math.min(300_000, 1_000 * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
