/**
 * How long the BigCommerce side of a bulk change will take: BigCommerce takes 10 products a write and
 * limits each store's requests (a quota shared with the store's other apps), so the merchant is told the
 * time at the store's quota, or — before BigCommerce has reported it — at the pace measured so far.
 */
import { PRODUCT_BATCH_LIMIT } from '../bigcommerce/index.ts';

/** Requests a batch of 10 products costs: the fresh read and the write (a few more for variant levels). */
const REQUESTS_PER_BATCH = 2;

/** Seconds left for `remaining` products, or undefined when nothing is known yet. */
export function secondsLeft(remaining: number, pace: { requestRate?: number; done: number; elapsedMs: number }): number | undefined {
  if (remaining <= 0) return 0;
  const requests = Math.ceil(remaining / PRODUCT_BATCH_LIMIT) * REQUESTS_PER_BATCH;
  if (pace.requestRate && pace.requestRate > 0) return Math.ceil(requests / pace.requestRate);
  if (pace.done > 0 && pace.elapsedMs > 0) return Math.ceil(((pace.elapsedMs / pace.done) * remaining) / 1000);
  return undefined;
}

/** "about 3 minutes" */
export function describeDuration(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 6) / 10;
  return `about ${hours} hours`;
}

/** The progress line: "Turning off tracking: 20 of 120 products; about 1 minute left at your store’s API quota". */
export function paceMessage(verb: string, done: number, total: number, seconds: number | undefined): string {
  const left = seconds === undefined ? '' : `; ${describeDuration(seconds)} left at your store’s API quota (longer while other apps use it)`;
  return `${verb}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} products${left}`;
}
